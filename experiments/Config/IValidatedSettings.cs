namespace Research.Experiments.Config;

/// <summary>
/// A settings class with rules across its fields (e.g. tied embeddings need embedding_size == hidden_size). Called after
/// binding and after the [Range] checks, for every section, so a rule can assume each value has its declared type.
/// </summary>
public interface IValidatedSettings
{
    IEnumerable<ConfigProblem> Validate();
}
