using System.ComponentModel.DataAnnotations;

namespace Research.Experiments.Settings;

/// <summary>
/// Keras lstm_text_generation's training set: windows of <see cref="Length"/> tokens every <see cref="Step"/> tokens,
/// each predicting only the token after it (loss on the last step, state from zero per window). Length 0 keeps the
/// default truncated BPTT over batchified streams.
/// </summary>
public sealed class TextWindowSettings
{
    /// <summary>Tokens per window (Keras: maxlen 40); 0 turns windows off.</summary>
    [Range(0, 100_000)]
    public int Length { get; set; }

    /// <summary>Tokens between the starts of consecutive windows (Keras: step 3).</summary>
    [Range(1, 100_000)]
    public int Step { get; set; } = 1;
}
