namespace Research.Experiments.Notebooks;

/// <summary>
/// The executed copy of a notebook and how its run ended. <see cref="FailedCell"/> is the 1-based position of the
/// failing cell in the notebook as the user wrote it (markdown cells counted, the injected parameters cell not).
/// </summary>
public sealed record NotebookRunResult(
    NotebookDocument Executed,
    int CellsRun,
    int? FailedCell,
    string? Error,
    IReadOnlyList<string> Warnings,
    TimeSpan Elapsed)
{
    public bool Succeeded => FailedCell is null && Error is null;
}
