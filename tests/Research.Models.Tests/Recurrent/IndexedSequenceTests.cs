using Research.Models.Parity;
using Research.Models.Recurrent;
using Research.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Tests.Recurrent;

/// <summary>
/// A stack run on distinct rows and their index (<see cref="IndexedSequence"/>) against the readable stack run on the
/// written-out input: outputs, h_n, c_n and the gradients of the rows, h0, c0 and every parameter agree to the parity
/// tolerance, and where the one-node function does not run the stack gives exactly what the written-out input gives.
/// </summary>
public sealed class IndexedSequenceTests
{
    public static TheoryData<RecurrentBackendKind, string, int, bool, bool> Cases()
    {
        var data = new TheoryData<RecurrentBackendKind, string, int, bool, bool>();
        foreach (var (backend, dtype) in new[] { (RecurrentBackendKind.Fast, "float64"), (RecurrentBackendKind.Fast, "float32"), (RecurrentBackendKind.Kernel, "float32") })
            foreach (var layers in new[] { 1, 3 })
                foreach (var withState in new[] { false, true })
                    foreach (var batchFirst in new[] { false, true })
                        data.Add(backend, dtype, layers, withState, batchFirst);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void DistinctRowsGiveTheWrittenOutInputsResultsAndGradients(RecurrentBackendKind backend, string dtypeName, int layers, bool withState, bool batchFirst)
    {
        var dtype = dtypeName == "float64" ? ScalarType.Float64 : ScalarType.Float32;
        manual_seed(23);
        var readable = RecurrentStack.Lstm(6, 10, layers, batchFirst: batchFirst, dtype: dtype, backend: RecurrentBackendKind.Readable);
        var stack = RecurrentStack.Lstm(6, 10, layers, batchFirst: batchFirst, dtype: dtype, backend: backend);
        ParameterTransfer.Copy(readable, stack);
        // 9 distinct rows for 13 × 4 positions, some rows never picked (their gradient is zero).
        var rows = randn([9, 6], dtype: dtype);
        var index = randint(7, batchFirst ? [4, 13] : [13, 4], dtype: ScalarType.Int64);
        var state = withState ? (randn([layers, 4, 10], dtype: dtype), randn([layers, 4, 10], dtype: dtype)) : ((Tensor, Tensor)?)null;

        var expected = Run(readable, rows, index, state, indexed: false);
        var actual = Run(stack, rows, index, state, indexed: true);
        var tolerance = ParityReport.DefaultTolerance(dtype);
        foreach (var (name, value) in expected)
        {
            var row = ParityRow.Of(name, actual[name], value);
            Assert.True(row.MaxRel <= tolerance, $"{backend} {dtypeName}, {layers} layers: {name} {row.MaxRel:E2} > {tolerance:E0}");
        }
    }

    [Fact]
    public void FrozenRowsAndFirstInputWeightGetNoGradientAndTheOthersStillMatch()
    {
        manual_seed(29);
        var readable = RecurrentStack.Lstm(5, 8, 2, dtype: ScalarType.Float64, backend: RecurrentBackendKind.Readable);
        var fast = RecurrentStack.Lstm(5, 8, 2, dtype: ScalarType.Float64, backend: RecurrentBackendKind.Fast);
        ParameterTransfer.Copy(readable, fast);
        var rows = randn([6, 5], dtype: ScalarType.Float64);
        var index = randint(6, [7, 3], dtype: ScalarType.Int64);
        Dictionary<string, Tensor?> Gradients(RecurrentStack stack)
        {
            stack.get_parameter("weight_ih_l0")!.requires_grad_(false);
            var (y, _) = stack.forward(new IndexedSequence(rows, index));
            y.mul(y).sum().backward();
            return stack.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad?.clone());
        }
        var expected = Gradients(readable);
        var actual = Gradients(fast);
        Assert.Null(actual["weight_ih_l0"]);
        foreach (var (name, grad) in expected)
        {
            Assert.Equal(grad is null, actual[name] is null);
            if (grad is not null)
                Assert.True(ParityRow.Of(name, actual[name]!, grad).MaxRel <= 1e-10, name);
        }
    }

    public static TheoryData<string> FallbackCases() => new() { "dropout between layers", "bidirectional", "unbatched", "gru" };

    [Theory]
    [MemberData(nameof(FallbackCases))]
    public void StacksThatDoNotRunAsOneNodeRunTheWrittenOutInput(string which)
    {
        manual_seed(31);
        var stack = which switch
        {
            "dropout between layers" => RecurrentStack.Lstm(4, 6, 2, dropout: 0.3, backend: RecurrentBackendKind.Fast),
            "bidirectional" => new RecurrentStack(new RecurrentStackOptions(RecurrentCellKind.Lstm, RecurrentBackendKind.Fast, Variant: new LstmVariant { Bidirectional = true }), 4, 6, 2),
            "gru" => RecurrentStack.Gru(4, 6, 2),
            _ => RecurrentStack.Lstm(4, 6, 2, backend: RecurrentBackendKind.Fast),
        };
        var rows = randn([5, 4]);
        var index = which == "unbatched" ? randint(5, [9], dtype: ScalarType.Int64) : randint(5, [9, 3], dtype: ScalarType.Int64);
        var input = new IndexedSequence(rows, index);
        manual_seed(37);
        var (expected, _) = stack.call(input.Expand());
        manual_seed(37);
        var (actual, _) = stack.forward(input);
        Assert.True(actual.allclose(expected, rtol: 0, atol: 0), which);
    }

    [Fact]
    public void RowsOfTheWrongWidthOrAnIndexNotInt64AreRefusedInOneLine()
    {
        var stack = RecurrentStack.Lstm(4, 6, 1, backend: RecurrentBackendKind.Fast);
        var wide = Assert.Throws<ArgumentException>(() => stack.forward(new IndexedSequence(randn([5, 3]), zeros([2, 2], dtype: ScalarType.Int64))));
        Assert.Contains("indexed rows must be [U, 4], got [5, 3]", wide.Message, StringComparison.Ordinal);
        var int32 = Assert.Throws<ArgumentException>(() => stack.forward(new IndexedSequence(randn([5, 4]), zeros([2, 2], dtype: ScalarType.Int32))));
        Assert.Contains("row index must be int64, got Int32", int32.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OfTokensEmbedsEachDistinctTokenOnceAndExpandsToTheLookup()
    {
        var table = randn([10, 3]);
        var tokens = tensor(new long[] { 4, 7, 4, 1, 7, 4 }).view(3, 2);
        var looked = new List<long>();
        var input = IndexedSequence.OfTokens(tokens, t =>
        {
            looked.AddRange(t.data<long>().ToArray());
            return table.index_select(0, t);
        });
        Assert.Equal([1L, 4, 7], looked);
        Assert.True(input.Expand().allclose(table.index_select(0, tokens.flatten()).view(3, 2, 3), rtol: 0, atol: 0));
    }

    // Output, h_n, c_n and the gradients of a fixed random probe of them, for the rows, h0, c0 and every parameter.
    private static Dictionary<string, Tensor> Run(RecurrentStack stack, Tensor rows, Tensor index, (Tensor h, Tensor c)? state, bool indexed)
    {
        var leaf = rows.detach().clone().requires_grad_();
        var (h0, c0) = state is { } s ? (s.h.detach().clone().requires_grad_(), s.c.detach().clone().requires_grad_()) : (null, null);
        var initial = h0 is null ? null : new RecurrentState(h0, c0);
        var input = new IndexedSequence(leaf, index);
        var (y, (h, c)) = indexed ? stack.forward(input, initial) : stack.call(input.Expand(), initial);
        using var generator = new Generator(3);
        Tensor Probe(Tensor like) => randn(like.shape, dtype: like.dtype, generator: generator);
        y.mul(Probe(y)).sum().Plus(h.mul(Probe(h)).sum()).Plus(c!.mul(Probe(c)).sum()).backward();
        var results = new Dictionary<string, Tensor> { ["y"] = y, ["h"] = h, ["c"] = c, ["grad rows"] = leaf.grad!.clone() };
        if (h0 is not null)
            (results["grad h0"], results["grad c0"]) = (h0.grad!.clone(), c0!.grad!.clone());
        foreach (var (name, p) in stack.named_parameters())
            results[$"grad {name}"] = p.grad!.clone();
        return results;
    }
}
