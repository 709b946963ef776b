using YamlDotNet.RepresentationModel;

namespace Research.Experiments.Config;

/// <summary>
/// model.core, model.implementation and model.step_kernel, which model.backend replaced. A run folder's saved config
/// written before the rename still loads (resume, generate, forecast, export): its three keys become the backend that
/// computes the same. A user config or override that uses them is an error naming the new key.
/// </summary>
internal static class LegacyRecurrenceKeys
{
    private static readonly string[] Keys = ["core", "implementation", "step_kernel"];

    // The variant keys that change the LSTM step (LstmVariant.ChangesStep); the fast path never ran them.
    private static readonly string[] StepChangingVariantKeys =
        ["peephole", "coupled_input_forget", "no_forget_gate", "no_input_gate", "no_output_gate", "no_input_activation", "no_output_activation", "layer_norm"];

    /// <exception cref="ConfigException">The config sets one of the replaced keys.</exception>
    public static void Reject(YamlMappingNode tree, NodeOrigins origins)
    {
        if (Model(tree) is not { } model)
            return;
        foreach (var (key, _) in model.Children)
        {
            if (key is YamlScalarNode { Value: { } name } && Keys.Contains(name))
                throw origins.Error(key, $"model.{name}", "replaced by model.backend: auto | readable | fast | kernel | torch (docs/experiments.md)");
        }
    }

    /// <summary>
    /// A saved run config with the replaced keys rewritten in place: core torch → torch; implementation readable →
    /// readable; fast with step_kernel false → fast (readable for a step-changing variant, as it then ran); else auto,
    /// which is what fast with the step kernel did.
    /// </summary>
    public static void Translate(YamlMappingNode tree)
    {
        if (Model(tree) is not { } model || !Keys.Any(k => Scalar(model, k) is not null))
            return;
        var backend = (Scalar(model, "core"), Scalar(model, "implementation"), Scalar(model, "step_kernel")) switch
        {
            ("torch", _, _) => "torch",
            (_, "readable", _) => "readable",
            (_, _, "false") => ChangesStep(model) ? "readable" : "fast",
            _ => "auto",
        };
        foreach (var key in Keys)
            model.Children.Remove(new YamlScalarNode(key));
        model.Children[new YamlScalarNode("backend")] = new YamlScalarNode(backend);
    }

    private static bool ChangesStep(YamlMappingNode model)
        => model.Children.TryGetValue(new YamlScalarNode("variant"), out var node) && node is YamlMappingNode variant
            && (StepChangingVariantKeys.Any(k => Scalar(variant, k) == "true") || Scalar(variant, "projection_size") is { } p && p != "0");

    private static YamlMappingNode? Model(YamlMappingNode tree)
        => tree.Children.TryGetValue(new YamlScalarNode("model"), out var node) ? node as YamlMappingNode : null;

    private static string? Scalar(YamlMappingNode map, string key)
        => map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? (node as YamlScalarNode)?.Value?.ToLowerInvariant() : null;
}
