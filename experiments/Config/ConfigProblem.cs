namespace Research.Experiments.Config;

/// <summary>
/// One broken rule found by <see cref="IValidatedSettings.Validate"/>. <paramref name="Key"/> is relative to the class that
/// reports it (`tied`, or `model.tied` from the root); PascalCase from nameof(...) is accepted and shown in snake_case.
/// </summary>
public sealed record ConfigProblem(string Key, string Message);
