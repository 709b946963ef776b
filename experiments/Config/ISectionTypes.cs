namespace Research.Experiments.Config;

/// <summary>
/// A settings class whose nested sections take a class chosen by a key bound before them (the task picks the classes of
/// data.* and model.*). The binder binds keys in declaration order, so the choosing key is read first.
/// </summary>
public interface ISectionTypes
{
    /// <summary>The class section <paramref name="key"/> binds to; null keeps the property's declared type.</summary>
    Type? SectionType(string key);

    /// <summary>What a key unknown to the chosen class belongs to instead ("task forecast"), for its error; null if nothing.</summary>
    string? OwnerOf(string section, string key);
}
