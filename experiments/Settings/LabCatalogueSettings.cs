namespace Research.Experiments.Settings;

/// <summary>
/// A lab's own dataset catalogue (data.catalogue or $RESEARCH_CATALOGUE): datasets listed with their files' URLs and
/// sha256, merged with the built-in registry so they get the same fetch, verify and cache. `research data add NAME
/// PATH...` prints an entry for files at hand.
/// </summary>
public sealed class LabCatalogueSettings
{
    public List<LabDatasetSettings> Datasets { get; set; } = [];
}
