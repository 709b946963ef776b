namespace Research.Data.Text;

/// <summary>Text granularity of a language-model corpus.</summary>
public enum TextLevel
{
    Word,
    Char,
}
