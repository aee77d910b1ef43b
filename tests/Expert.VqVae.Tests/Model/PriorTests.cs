using Expert.VqVae.Inference;
using Expert.VqVae.Model;
using Expert.VqVae.MlCore.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Expert.VqVae.Tests.Model;

[Collection(TorchCollection.Name)]
public class PriorTests
{
    public PriorTests() => TorchRuntime.Initialize();

    [Fact]
    public void Group_then_ungroup_is_the_identity_and_groups_are_2x2x2_blocks()
    {
        using var prior = new TextConditionedPrior(TinyModels.Prior(10));
        using var scope = NewDisposeScope();
        var codes = arange(64).reshape(1, 4, 4, 4);                 // value = flat index y*16 + z*4 + x
        var grouped = prior.Group(codes);
        Assert.Equal(new long[] { 1, 8, 8 }, grouped.shape);
        // Group 0 holds the codes with y, z, x in {0, 1}.
        var first = grouped[0, 0].data<long>().ToArray();
        Assert.Equal(new long[] { 0, 1, 4, 5, 16, 17, 20, 21 }, first);
        Assert.True(prior.Ungroup(grouped).eq(codes).all().item<bool>());
    }

    [Fact]
    public void Logits_cover_every_code_and_the_codebook()
    {
        torch.manual_seed(5);
        using var prior = new TextConditionedPrior(TinyModels.Prior(10));
        using var scope = NewDisposeScope();
        var text = tensor(new long[] { 2, 3, 4, 0, 5, 6, 0, 0 }, new long[] { 2, 4 });
        var codes = full(new long[] { 2, 8, 8 }, 32L, dtype: ScalarType.Int64);
        var logits = prior.forward(text, codes);
        Assert.Equal(new long[] { 2, 8, 8, 32 }, logits.shape);
    }

    [Fact]
    public void A_prior_grown_to_new_words_starts_computing_what_the_source_did_on_unknown_pieces()
    {
        torch.manual_seed(11);
        using var source = new TextConditionedPrior(TinyModels.Prior(10));
        source.eval();
        using var grown = Training.PriorGrowth.GrowVocabulary(source, 14);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Assert.Equal(14, grown.Config.VocabularySize);
        Assert.False(grown.training);
        var codes = randint(0, 33, new long[] { 2, 8, 8 });
        // The source read the new pieces 10-13 as unknown (1); the grown prior reads them as themselves.
        var asUnknown = tensor(new long[] { 2, 1, 3, 1, 4, 5, 1, 0 }, new long[] { 2, 4 });
        var asNew = tensor(new long[] { 2, 10, 3, 13, 4, 5, 11, 0 }, new long[] { 2, 4 });
        Assert.True(source.forward(asUnknown, codes).equal(grown.forward(asNew, codes)).all().item<bool>());
        Assert.True(source.forward(asUnknown, codes).equal(grown.forward(asUnknown, codes)).all().item<bool>());
        Assert.Throws<ArgumentException>(() => Training.PriorGrowth.GrowVocabulary(source, 9));
    }

    [Fact]
    public void Padding_after_the_text_does_not_change_the_prediction()
    {
        torch.manual_seed(6);
        using var prior = new TextConditionedPrior(TinyModels.Prior(10));
        prior.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var codes = randint(0, 33, new long[] { 1, 8, 8 });
        var short_ = prior.forward(tensor(new long[] { 2, 3 }, new long[] { 1, 2 }), codes);
        var padded = prior.forward(tensor(new long[] { 2, 3, 0, 0, 0 }, new long[] { 1, 5 }), codes);
        Assert.True(short_.allclose(padded, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void Packed_rows_give_a_sample_the_same_features_whatever_its_batch_mates_lengths()
    {
        torch.manual_seed(16);
        using var prior = new TextConditionedPrior(TinyModels.Prior(10));
        prior.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var codes = randint(0, 33, new long[] { 3, 8, 8 });
        // Sample 1 has 2 tokens; its mates have 6 and none, so the packed rows differ in number and place.
        var text = tensor(new long[] { 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, new long[] { 3, 6 });
        var together = prior.CodeFeatures(text, codes);
        var alone = prior.CodeFeatures(text[1..2], codes[1..2]);
        // Exactly equal at the shipped model's sizes (ShippedCheckpointTests); at this tiny size the BLAS
        // takes another kernel for a 10-row matrix than for a 32-row one, so allow float rounding.
        Assert.True(together[1..2].allclose(alone, rtol: 0, atol: 1e-5), "a sample's features changed with its batch");
        Assert.True(prior.forward(text, codes).eq(prior.CodeLogits(together)).all().item<bool>());
        Assert.False(together[0].eq(together[1]).all().item<bool>(), "different texts must give different features");
    }

    [Fact]
    public void A_tiny_prior_learns_which_text_means_which_code_grid()
    {
        torch.manual_seed(7);
        var config = TinyModels.Prior(8);
        using var prior = new TextConditionedPrior(config);
        using var scope = NewDisposeScope();
        // Two "descriptions", each with its own constant code grid.
        var textA = tensor(new long[] { 2, 3 }, new long[] { 1, 2 });
        var textB = tensor(new long[] { 4, 5 }, new long[] { 1, 2 });
        var gridA = full(new long[] { 1, 8, 8 }, 7L, dtype: ScalarType.Int64);
        var gridB = full(new long[] { 1, 8, 8 }, 19L, dtype: ScalarType.Int64);
        var text = cat(new[] { textA, textB }, 0);
        var target = cat(new[] { gridA, gridB }, 0);
        var masked = full(new long[] { 2, 8, 8 }, (long)config.MaskId, dtype: ScalarType.Int64);
        using var optimizer = optim.AdamW(prior.parameters(), lr: 1e-2);
        prior.train();
        float first = 0, last = 0;
        // The loss first sits near ln 2 (the grids, not yet which text means which) for a number of steps
        // that varies with the seed and the CPU's rounding: 20 to 90 steps over 40 seeds tried. By step
        // 200 it was under 0.001 on all of them.
        for (int step = 0; step < 200; step++)
        {
            using var s = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(prior.forward(text, masked).reshape(-1, 32), target.reshape(-1));
            loss.backward();
            optimizer.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        // A prior that does not see the text can do no better than ln 2 (each grid half the time): the
        // loss must end far below it. Catches text that does not reach the code predictions.
        Assert.True(last < Math.Log(2) / 10, $"loss went from {first} to {last}; ln 2 = 0.693 is the best without the text");

        // One greedy step decides every code from the text alone, as the prior was trained (with more
        // steps, later ones see revealed codes it never saw in training, and may decide otherwise).
        // Catches a sampler that loses the text, the batch order or the arg max.
        prior.eval();
        var sampler = new MaskedCodeSampler(prior);
        using var g = no_grad();
        var jobA = new MaskedCodeSampler.Job([2, 3], 1, 0f, 0, 1);
        var jobB = new MaskedCodeSampler.Job([4, 5], 1, 0f, 0, 1);
        var decoded = sampler.Sample([jobA, jobB], CPU, CancellationToken.None);
        Assert.True(decoded[0].eq(7).all().item<bool>());
        Assert.True(decoded[1].eq(19).all().item<bool>());
    }

    [Fact]
    public void Same_seed_same_codes_whatever_the_batch_and_other_seeds_differ()
    {
        torch.manual_seed(8);
        using var prior = new TextConditionedPrior(TinyModels.Prior(10));
        prior.eval();
        var sampler = new MaskedCodeSampler(prior);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var job = new MaskedCodeSampler.Job([2, 3, 4], 42, 1.0f, 0, 4);
        var alone = sampler.Sample([job], CPU, CancellationToken.None);
        var again = sampler.Sample([job], CPU, CancellationToken.None);
        var inBatch = sampler.Sample([new MaskedCodeSampler.Job([5, 6], 9, 1.0f, 5, 4), job, job with { Seed = 43 }], CPU, CancellationToken.None);
        Assert.True(alone.eq(again).all().item<bool>());
        Assert.True(alone[0].eq(inBatch[1]).all().item<bool>());
        Assert.False(inBatch[1].eq(inBatch[2]).all().item<bool>());
        Assert.True(alone.lt(32).all().item<bool>(), "no mask id may be left after the last step");
    }

    [Theory]
    [InlineData(1.0f, 0)]
    [InlineData(0.7f, 5)]
    [InlineData(0f, 0)]
    public void With_an_empty_code_the_batched_step_keeps_each_sample_independent_of_its_batch(float temperature, int topK)
    {
        torch.manual_seed(18);
        using var prior = new TextConditionedPrior(TinyModels.Prior(10));
        prior.eval();
        var sampler = new MaskedCodeSampler(prior, emptyCode: 3);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var job = new MaskedCodeSampler.Job([2, 3, 4], 42, temperature, topK, 4);
        var alone = sampler.Sample([job], CPU, CancellationToken.None);
        var inBatch = sampler.Sample([new MaskedCodeSampler.Job([5, 6], 9, 1.0f, 5, 6), job, job with { Seed = 43 }], CPU, CancellationToken.None);
        Assert.True(alone[0].eq(inBatch[1]).all().item<bool>());
        Assert.True(alone.lt(32).all().item<bool>(), "no mask id may be left after the last step");
        Assert.True(inBatch[0].lt(32).all().item<bool>(), "a sample with more steps than its batch mates finishes too");
        if (temperature > 0) Assert.False(inBatch[1].eq(inBatch[2]).all().item<bool>());
    }

    [Fact]
    public void Known_codes_are_kept_when_completing()
    {
        torch.manual_seed(9);
        using var prior = new TextConditionedPrior(TinyModels.Prior(10));
        prior.eval();
        var sampler = new MaskedCodeSampler(prior);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var known = Enumerable.Repeat(-1L, 64).ToArray();
        for (int i = 0; i < 16; i++) known[i] = 31;                  // the bottom code layer is given
        var codes = sampler.Sample([new MaskedCodeSampler.Job([2], 3, 1.0f, 0, 4, known)], CPU, CancellationToken.None);
        var flat = codes.reshape(-1).data<long>().ToArray();
        Assert.All(flat.Take(16), c => Assert.Equal(31, c));
    }

    [Fact]
    public void Cancellation_stops_decoding()
    {
        using var prior = new TextConditionedPrior(TinyModels.Prior(10));
        prior.eval();
        var sampler = new MaskedCodeSampler(prior);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        using var _ = no_grad();
        Assert.Throws<OperationCanceledException>(() => sampler.Sample([new MaskedCodeSampler.Job([2], 1, 1f, 0, 4)], CPU, cts.Token));
    }
}
