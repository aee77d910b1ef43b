using Expert.VqVae.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace Expert.VqVae.Tests.Model;

[Collection(TorchCollection.Name)]
public class BuiltOrEmptyTests
{
    [Fact]
    public void Greedy_decides_built_or_empty_by_summed_probability_before_the_code()
    {
        using var scope = NewDisposeScope();
        // Code 0 is empty space. Position 0: empty 0.4, three built codes 0.2 each -> built (0.6),
        // and the most likely built code is taken. Position 1: empty 0.7 -> empty.
        var probs = tensor(new float[] { 0.4f, 0.25f, 0.2f, 0.15f, 0.7f, 0.1f, 0.1f, 0.1f }, new long[] { 2, 4 });
        var logits = probs.log();
        using var generator = new torch.Generator(1);
        var job = new MaskedCodeSampler.Job([2], 1, 0f, 0, 4);
        var (sampled, confidence) = MaskedCodeSampler.DrawBuiltOrEmpty(job, 0, 0, logits, generator);
        Assert.Equal(new long[] { 1, 0 }, sampled.data<long>().ToArray());
        var c = confidence.exp().data<float>().ToArray();
        Assert.Equal(0.6f, c[0], 3);
        Assert.Equal(0.7f, c[1], 3);
        // A plain arg max over codes would have called position 0 empty.
        Assert.Equal(0, logits[0].argmax().item<long>());
    }

    [Fact]
    public void Sampling_follows_the_built_probability()
    {
        using var scope = NewDisposeScope();
        var row = tensor(new float[] { 0.3f, 0.35f, 0.35f }).log();
        var logits = row.unsqueeze(0).expand(4000, 3).contiguous();
        using var generator = new torch.Generator(7);
        var job = new MaskedCodeSampler.Job([2], 7, 1f, 0, 4);
        var (sampled, _) = MaskedCodeSampler.DrawBuiltOrEmpty(job, 0, 0, logits, generator);
        double emptyShare = sampled.eq(0).to(ScalarType.Float32).mean().item<float>();
        Assert.InRange(emptyShare, 0.26, 0.34);
    }
}
