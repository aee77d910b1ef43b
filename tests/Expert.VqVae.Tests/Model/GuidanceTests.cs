using Expert.VqVae.Inference;
using Expert.VqVae.Model;
using Expert.VqVae.MlCore.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Expert.VqVae.Tests.Model;

/// <summary>Classifier-free guidance in <see cref="MaskedCodeSampler"/>: cond + w * (cond - uncond).</summary>
[Collection(TorchCollection.Name)]
public class GuidanceTests
{
    public GuidanceTests() => TorchRuntime.Initialize();

    [Theory]
    [InlineData(2f)]
    [InlineData(5f)]
    public void One_greedy_step_takes_the_arg_max_of_the_guided_logits(float weight)
    {
        torch.manual_seed(31);
        using var prior = new TextConditionedPrior(TinyModels.Prior(10));
        prior.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        int[] tokens = [2, 3, 4, 5];
        var c = prior.Config;
        var allMasked = full(new long[] { 1, c.Groups, c.CodesPerGroup }, c.MaskId, dtype: ScalarType.Int64);
        var cond = prior.forward(tensor(tokens.Select(t => (long)t).ToArray()).view(1, -1), allMasked);
        var uncond = prior.forward(zeros(1, tokens.Length, dtype: ScalarType.Int64), allMasked);
        var expected = prior.Ungroup((cond + weight * (cond - uncond)).argmax(-1));
        var unguidedExpected = prior.Ungroup(cond.argmax(-1));

        var sampler = new MaskedCodeSampler(prior);
        var guided = sampler.Sample([new MaskedCodeSampler.Job(tokens, 1, 0f, 0, 1, Guidance: weight)], CPU, CancellationToken.None);
        var unguided = sampler.Sample([new MaskedCodeSampler.Job(tokens, 1, 0f, 0, 1)], CPU, CancellationToken.None);

        Assert.True(guided.eq(expected).all().item<bool>());
        Assert.True(unguided.eq(unguidedExpected).all().item<bool>());
        Assert.False(expected.eq(unguidedExpected).all().item<bool>(), "the weight is too small to change any code of this prior: the test proves nothing");
    }

    [Theory]
    [InlineData(-1L, 1.0f)]
    [InlineData(3L, 1.0f)]
    [InlineData(3L, 0f)]
    public void A_sample_gets_the_same_codes_alone_or_beside_guided_and_unguided_batch_mates(long emptyCode, float temperature)
    {
        torch.manual_seed(32);
        using var prior = new TextConditionedPrior(TinyModels.Prior(10));
        prior.eval();
        var sampler = new MaskedCodeSampler(prior, emptyCode);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var guided = new MaskedCodeSampler.Job([2, 3, 4], 42, temperature, 0, 4, Guidance: 3f);
        var plain = new MaskedCodeSampler.Job([6, 7], 5, temperature, 0, 4);

        var guidedAlone = sampler.Sample([guided], CPU, CancellationToken.None);
        var plainAlone = sampler.Sample([plain], CPU, CancellationToken.None);
        var batch = sampler.Sample([plain, guided, new MaskedCodeSampler.Job([5], 9, 1f, 0, 4, Guidance: 1f)], CPU, CancellationToken.None);

        Assert.True(guidedAlone[0].eq(batch[1]).all().item<bool>());
        Assert.True(plainAlone[0].eq(batch[0]).all().item<bool>(), "weight 0 must give the unguided codes exactly");
        Assert.True(batch.lt(32).all().item<bool>(), "no mask id may be left after the last step");
    }

    [Fact]
    public void Guidance_starts_at_its_step_and_a_sample_guided_from_its_last_step_on_differs_only_there()
    {
        torch.manual_seed(33);
        using var prior = new TextConditionedPrior(TinyModels.Prior(10));
        prior.eval();
        var sampler = new MaskedCodeSampler(prior, emptyCode: 3);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var plain = new MaskedCodeSampler.Job([2, 3, 4], 42, 0f, 0, 4);
        var never = plain with { Guidance = 5f, GuidedFrom = 4 };         // after the last step: never guided
        var late = plain with { Guidance = 5f, GuidedFrom = 2 };
        var always = plain with { Guidance = 5f };

        var codes = sampler.Sample([plain, never, late, always], CPU, CancellationToken.None);

        Assert.True(codes[0].eq(codes[1]).all().item<bool>());
        Assert.False(codes[0].eq(codes[3]).all().item<bool>(), "guidance from the first step changed nothing: the test proves nothing");
        Assert.True(sampler.Sample([late], CPU, CancellationToken.None)[0].eq(codes[2]).all().item<bool>());
    }

    [Theory]
    [InlineData(0f, 8, 0)]
    [InlineData(0.625f, 8, 5)]
    [InlineData(0.625f, 4, 3)]
    [InlineData(0.5f, 8, 4)]
    [InlineData(0.99f, 2, 1)]
    public void The_first_guided_step_is_the_ceiling_of_the_start_share_and_never_past_the_last_step(float start, int steps, int first)
    {
        Assert.Equal(first, PriorConfig.FirstGuidedStep(start, steps));
    }

    [Theory]
    [InlineData(-0.5f)]
    [InlineData(10.5f)]
    [InlineData(float.NaN)]
    public void Sampling_options_refuse_a_guidance_weight_out_of_range(float weight)
    {
        var errors = new SamplingOptions { Guidance = weight }.Validate();
        Assert.Equal("guidance", Assert.Single(errors).Field);
        Assert.Empty(new SamplingOptions { Guidance = 0f }.Validate());
        Assert.Empty(new SamplingOptions { Guidance = null }.Validate());
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1f)]
    [InlineData(float.NaN)]
    public void Sampling_options_refuse_a_guidance_start_out_of_range(float start)
    {
        var errors = new SamplingOptions { GuidanceStart = start }.Validate();
        Assert.Equal("guidance_start", Assert.Single(errors).Field);
        Assert.Empty(new SamplingOptions { GuidanceStart = 0.625f }.Validate());
    }
}
