using Expert.VqVae.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace Expert.VqVae.Tests.Model;

[Collection(TorchCollection.Name)]
public class BuiltOrEmptyTests
{
    private const long MaskId = 99;

    /// <summary>Runs the last decoding step (nothing stays masked) on fully masked codes.</summary>
    private static long[] LastStep(Tensor logits, float temperature, ulong seed)
    {
        long codes = logits.shape[1];
        var current = full(new long[] { 1, codes }, MaskId, dtype: ScalarType.Int64);
        var masked = ones(new long[] { 1, codes }, dtype: ScalarType.Bool);
        using var generator = new torch.Generator(seed);
        var job = new MaskedCodeSampler.Job([2], seed, temperature, 0, 1);
        var rows = arange(codes);
        MaskedCodeSampler.BuiltOrEmptyStep([job], 0, MaskId, 0, logits.view(codes, -1), rows, current, masked, [generator]);
        Assert.False(masked.any().item<bool>());
        return current[0].data<long>().ToArray();
    }

    [Fact]
    public void Greedy_decides_built_or_empty_by_summed_probability_before_the_code()
    {
        using var scope = NewDisposeScope();
        // Code 0 is empty space. Position 0: empty 0.4, built codes 0.25, 0.2, 0.15 -> built (0.6),
        // and the most likely built code is taken. Position 1: empty 0.7 -> empty.
        var probs = tensor(new float[] { 0.4f, 0.25f, 0.2f, 0.15f, 0.7f, 0.1f, 0.1f, 0.1f }, new long[] { 1, 2, 4 });
        var logits = probs.log();
        Assert.Equal(new long[] { 1, 0 }, LastStep(logits, 0f, 1));
        // A plain arg max over codes would have called position 0 empty.
        Assert.Equal(0, logits[0, 0].argmax().item<long>());
    }

    [Fact]
    public void Sampling_follows_the_built_probability()
    {
        using var scope = NewDisposeScope();
        var row = tensor(new float[] { 0.3f, 0.35f, 0.35f }).log();
        var logits = row.view(1, 1, 3).expand(1, 4000, 3).contiguous();
        var drawn = LastStep(logits, 1f, 7);
        double emptyShare = drawn.Count(c => c == 0) / 4000.0;
        Assert.InRange(emptyShare, 0.26, 0.34);
        Assert.All(drawn, c => Assert.InRange(c, 0, 2));
    }
}
