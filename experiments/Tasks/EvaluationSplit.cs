namespace Research.Experiments.Tasks;

/// <summary>The split names the trainer evaluates (train, valid, test), mapped to a task's own data in one place.</summary>
public static class EvaluationSplit
{
    /// <summary>The value for <paramref name="split"/>; an unknown name is a programming error.</summary>
    public static T Pick<T>(string split, T train, T valid, T test) => split switch
    {
        "train" => train,
        "valid" => valid,
        "test" => test,
        _ => throw new ArgumentException($"unknown split '{split}'", nameof(split)),
    };

    /// <summary>Asking for a split a corpus trained whole does not have: a programming error (the trainer checks HeldOut).</summary>
    public static InvalidOperationException NotHeldOut(string split) =>
        new($"the {split} split is empty: this corpus is trained whole (train_fraction 1.0)");
}
