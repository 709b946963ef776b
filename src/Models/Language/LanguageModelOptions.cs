using Research.Models.Recurrent;

namespace Research.Models.Language;

/// <summary>How a language model's parameters start.</summary>
public enum LanguageModelInit
{
    /// <summary>Every parameter U(−a, a) (Zaremba et al. 2014).</summary>
    UniformAll,

    /// <summary>Embedding and decoder U(−a, a), decoder bias 0, recurrent weights at nn.LSTM's default (pytorch/examples).</summary>
    PytorchExamples,
}

/// <summary>The shape of a <see cref="LanguageModel"/>.</summary>
public sealed record LanguageModelOptions(
    long VocabularySize,
    long EmbeddingSize,
    long HiddenSize,
    long Layers,
    double Dropout = 0.0,
    bool TieWeights = false,
    RecurrentCoreKind Core = RecurrentCoreKind.Lstm,
    LstmImplementation Implementation = LstmImplementation.Fast,
    LanguageModelInit Init = LanguageModelInit.UniformAll,
    double InitRange = 0.1);
