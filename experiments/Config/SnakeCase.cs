using System.Text;

namespace Research.Experiments.Config;

/// <summary>PascalCase C# names to the snake_case keys users write in YAML: BatchSize ↔ batch_size, ReduceOnPlateau ↔ reduce_on_plateau.</summary>
public static class SnakeCase
{
    public static string From(string name)
    {
        var result = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                // A word starts at an upper-case letter after a lower-case one or digit, or before a lower-case one (HTTPServer → http_server).
                var startsWord = i > 0 && name[i - 1] != '_'
                    && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1])));
                if (startsWord)
                    result.Append('_');
                result.Append(char.ToLowerInvariant(c));
            }
            else
            {
                result.Append(c);
            }
        }
        return result.ToString();
    }

    /// <summary>Each segment of a dotted path in snake_case, so `Model.EmbeddingSize` and `model.embedding_size` name the same key.</summary>
    public static string FromPath(string path) => string.Join('.', path.Split('.').Select(From));
}
