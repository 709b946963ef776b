namespace Research.Experiments.Config;

/// <summary>
/// A settings class whose sections take a class picked by a key set before them (the task picks those of data.* and
/// model.*), so a key the picked class lacks may belong to another: its error says which.
/// </summary>
public interface ISectionOwners
{
    /// <summary>What <paramref name="key"/> of <paramref name="section"/> belongs to instead ("task forecast"); null if nothing.</summary>
    string? OwnerOf(string section, string key);
}
