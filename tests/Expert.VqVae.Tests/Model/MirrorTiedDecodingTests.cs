using Expert.VqVae.Inference;
using Expert.VqVae.Model;
using Expert.VqVae.MlCore.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Expert.VqVae.Tests.Model;

/// <summary>
/// Mirror-tied decoding (<see cref="MaskedCodeSampler.Job.MirrorX"/>): a code cell and its x-mirror are decided built or
/// empty together, by the sum of their log odds; which built code each gets stays its own.
/// </summary>
[Collection(TorchCollection.Name)]
public class MirrorTiedDecodingTests
{
    private const long MaskId = 99;

    public MirrorTiedDecodingTests() => TorchRuntime.Initialize();

    /// <summary>
    /// Step <paramref name="step"/> of <paramref name="steps"/> of one sample over <paramref name="logits"/> [codes, K] whose position
    /// i mirrors <paramref name="mirror"/>[i] (the right half: i > mirror[i]), from <paramref name="decided"/> (MaskId where masked;
    /// all masked by default).
    /// </summary>
    private static (long[] Codes, bool[] Masked) Step(Tensor logits, long[] mirror, bool tied, float temperature = 0f, long[]? decided = null,
        int steps = 1, ulong seed = 1, bool halfFirst = false, int step = 0)
    {
        long codes = logits.shape[0];
        var current = decided is null ? full(new long[] { 1, codes }, MaskId, dtype: ScalarType.Int64) : tensor(decided).view(1, codes);
        var masked = current.eq(MaskId);
        using var generator = new torch.Generator(seed);
        var job = new MaskedCodeSampler.Job([2], seed, temperature, 0, steps, MirrorX: tied, HalfFirst: halfFirst);
        var rows = masked.view(-1).nonzero().squeeze(1);
        using var layout = new MaskedCodeSampler.MirrorLayout(tensor(mirror), tensor(mirror.Select((m, i) => i > m).ToArray()));
        MaskedCodeSampler.BuiltOrEmptyStep([job], step, MaskId, 0, logits.index_select(0, rows), rows, current, masked, [generator], layout);
        return (current[0].data<long>().ToArray(), masked[0].data<bool>().ToArray());
    }

    [Fact]
    public void A_pair_takes_the_side_of_its_summed_log_odds_and_each_cell_keeps_its_own_built_code()
    {
        using var scope = NewDisposeScope();
        // Code 0 is empty. Cell 0: empty 0.7 (log odds +0.85); cell 1, its mirror: empty 0.4 (-0.41). Together: empty.
        // Cells 2 and 3: empty 0.55 (+0.20) and 0.1 (-2.20): together built, each with its own most likely built code.
        var logits = tensor(new float[]
        {
            0.7f, 0.1f, 0.1f, 0.1f,
            0.4f, 0.1f, 0.3f, 0.2f,
            0.55f, 0.05f, 0.1f, 0.3f,
            0.1f, 0.5f, 0.2f, 0.2f,
        }, new long[] { 4, 4 }).log();
        long[] mirror = [1, 0, 3, 2];
        Assert.Equal(new long[] { 0, 0, 3, 1 }, Step(logits, mirror, tied: true).Codes);
        Assert.Equal(new long[] { 0, 2, 0, 1 }, Step(logits, mirror, tied: false).Codes);
    }

    [Fact]
    public void A_mirror_already_decided_settles_its_pair()
    {
        using var scope = NewDisposeScope();
        // Cell 0 is masked and 0.9 likely empty; its mirror, cell 1, was decided built (code 2) at an earlier step.
        var logits = tensor(new float[] { 0.9f, 0.05f, 0.03f, 0.02f, 0.25f, 0.25f, 0.25f, 0.25f }, new long[] { 2, 4 }).log();
        long[] mirror = [1, 0];
        var tied = Step(logits, mirror, tied: true, decided: [MaskId, 2]);
        Assert.NotEqual(0, tied.Codes[0]);
        Assert.Equal(2, tied.Codes[1]);
        Assert.Equal(0, Step(logits, mirror, tied: false, decided: [MaskId, 2]).Codes[0]);
        // Decided empty: the masked mirror follows, however sure it was of being built.
        var builtLogits = tensor(new float[] { 0.05f, 0.9f, 0.03f, 0.02f, 1f, 0f, 0f, 0f }, new long[] { 2, 4 }).clamp_min(1e-6f).log();
        Assert.Equal(0, Step(builtLogits, mirror, tied: true, decided: [MaskId, 0]).Codes[0]);
    }

    [Fact]
    public void Sampled_pairs_always_agree_and_are_kept_or_masked_together()
    {
        using var scope = NewDisposeScope();
        const int pairs = 500;
        var generator = new torch.Generator(5);
        var logits = randn(new long[] { 2 * pairs, 6 }, generator: generator);
        logits.select(1, 0).add_(Math.Log(5));   // empty about as likely as built
        var mirror = Enumerable.Range(0, 2 * pairs).Select(i => (long)(i < pairs ? i + pairs : i - pairs)).ToArray();
        // The first of four steps keeps some codes and masks the rest again.
        var (codes, masked) = Step(logits, mirror, tied: true, temperature: 1f, steps: 4, seed: 11);
        int decidedEmpty = 0;
        for (int i = 0; i < pairs; i++)
        {
            Assert.Equal(masked[i], masked[i + pairs]);
            if (masked[i]) continue;
            Assert.Equal(codes[i] == 0, codes[i + pairs] == 0);
            if (codes[i] == 0) decidedEmpty++;
        }
        Assert.True(masked.Count(m => !m) > 0 && masked.Count(m => m) > 0, "a first step keeps some codes and masks the rest");
        Assert.InRange(decidedEmpty, 1, masked.Count(m => !m) / 2 - 1);   // kept pairs of both sides: a disagreement would show
    }

    [Fact]
    public void A_half_first_decode_settles_the_whole_left_half_first_with_its_pairs_sides_then_the_right()
    {
        using var scope = NewDisposeScope();
        const int pairs = 64;
        var logits = randn(new long[] { 2 * pairs, 6 }, generator: new torch.Generator(9));
        var mirror = Enumerable.Range(0, 2 * pairs).Select(i => (long)(i < pairs ? i + pairs : i - pairs)).ToArray();   // right: i >= pairs
        // Step 0 of 2: every left cell decided, every right cell still masked.
        var (codes, masked) = Step(logits, mirror, tied: true, steps: 2, halfFirst: true);
        Assert.All(Enumerable.Range(0, pairs), i => Assert.False(masked[i]));
        Assert.All(Enumerable.Range(pairs, pairs), i => Assert.True(masked[i]));
        // Each left cell took its pair's side (summed log odds), whatever its own said.
        var logOdds = (logits.select(1, 0) - logits.narrow(1, 1, 5).logsumexp(1)).data<float>().ToArray();
        Assert.All(Enumerable.Range(0, pairs), i => Assert.Equal(logOdds[i] + logOdds[i + pairs] >= 0, codes[i] == 0));
        // Step 1: the right half follows its decided mirrors.
        var logits2 = randn(new long[] { 2 * pairs, 6 }, generator: new torch.Generator(10));
        var after = Step(logits2, mirror, tied: true, decided: codes, steps: 2, halfFirst: true, step: 1).Codes;
        Assert.All(Enumerable.Range(0, pairs), i => Assert.Equal(after[i] == 0, after[i + pairs] == 0));
        // The schedule: 4 steps of 512 codes keep 256 + 181, 256, 181 masked, then none.
        Assert.Equal(437, MaskedCodeSampler.HalfFirstKeep(4, 0, 256, 512, 256));
        Assert.Equal(256, MaskedCodeSampler.HalfFirstKeep(4, 1, 256, 437, 256));
        Assert.Equal(181, MaskedCodeSampler.HalfFirstKeep(4, 2, 256, 256, 256));
    }

    [Theory]
    [InlineData(33)]
    [InlineData(34)]
    public void A_tied_decode_is_built_exactly_where_its_mirror_is_and_a_batch_mate_is_unchanged(int seed)
    {
        const float temperature = 1f;
        torch.manual_seed(seed);
        using var prior = new TextConditionedPrior(TinyModels.Prior(10));
        prior.eval();
        var sampler = new MaskedCodeSampler(prior, emptyCode: 0);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var tied = new MaskedCodeSampler.Job([2, 3, 4], 42, temperature, 0, 4, MirrorX: true);
        var plain = new MaskedCodeSampler.Job([6, 7], 5, temperature, 0, 4);

        var tiedCodes = sampler.Sample([tied], CPU, CancellationToken.None);           // [1, g, g, g] in (y, z, x)
        var built = tiedCodes.ne(0);
        Assert.True(built.eq(built.flip(3)).all().item<bool>());
        var untied = sampler.Sample([tied with { MirrorX = false }], CPU, CancellationToken.None).ne(0);
        Assert.False(untied.eq(untied.flip(3)).all().item<bool>(), "this prior decodes mirror-symmetric untied: the test proves nothing");

        var plainAlone = sampler.Sample([plain], CPU, CancellationToken.None);
        var batch = sampler.Sample([plain, tied], CPU, CancellationToken.None);
        Assert.True(batch[0].eq(plainAlone[0]).all().item<bool>());
        Assert.True(batch[1].eq(tiedCodes[0]).all().item<bool>());
    }
}
