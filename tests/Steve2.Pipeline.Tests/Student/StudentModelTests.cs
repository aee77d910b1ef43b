using Expert.VqVae.MlCore.Runtime;
using Expert.VqVae.MlCore.Text;
using Steve2.Pipeline.Student.Data;
using Steve2.Pipeline.Student.Inference;
using Steve2.Pipeline.Student.Model;
using Steve2.Pipeline.Student.Training;
using Steve2.Pipeline.Tests.Trajectories;
using TorchSharp;
using static TorchSharp.torch;

namespace Steve2.Pipeline.Tests.Student;

/// <summary>The model's mechanics on a random tiny model: shapes, the causal and padding masks, the KV cache, batching, the checkpoint, the tokenizer.</summary>
[Collection(StudentCollection.Name)]
public sealed class StudentModelTests
{
    private const int Vocabulary = 300;

    public StudentModelTests() => TorchRuntime.Initialize();

    /// <param name="rotary">Rotary positions (the presets) or the learned table of checkpoints made before them.</param>
    /// <param name="copy">A copy head (the presets) or none (checkpoints made before it).</param>
    private static (StudentModel Model, int ImageId) Tiny(int seed = 5, bool rotary = true, bool copy = true)
    {
        torch.manual_seed(seed);
        int imageId = StudentVocabulary.Specials.IdOf(StudentVocabulary.Image);
        StudentConfig config = StudentConfig.ForPreset("tiny", Vocabulary);
        return (new StudentModel(config with { Decoder = config.Decoder with { Rotary = rotary, Copy = copy } }, imageId), imageId);
    }

    private static long[] Sequence(int imageId, int text, int seed)
    {
        var r = new Random(seed);
        var ids = new List<long>();
        for (int i = 0; i < text; i++) ids.Add(r.Next(40, Vocabulary));
        ids.AddRange(Enumerable.Repeat((long)imageId, 16));   // tiny: 64 / 16 = 4 x 4 patches
        for (int i = 0; i < 5; i++) ids.Add(r.Next(40, Vocabulary));
        return ids.ToArray();
    }

    /// <summary>A generator over a tiny tokenizer; the model's 300 vocabulary rows are more than its, and the generator only reads the logits.</summary>
    private static (StudentSequences Sequences, StudentGenerator Generator) Generator(StudentModel model)
    {
        var tokenizer = CompactBpeTokenizer.Fit(["agent 0: explore north", "moveTo(1, 2, 3)"], StudentVocabulary.Specials, TextNormalization.None, byteFallback: true);
        var sequences = new StudentSequences(tokenizer, model.Config);
        return (sequences, new StudentGenerator(model, sequences, CPU));
    }

    private static Tensor Images(int count, int seed) => StudentBatches.Images(
        Enumerable.Range(0, count).Select(i => TrajectorySamples.Image(seed + i, 64, 64).Pixels).ToList(), 64, CPU);

    [Fact]
    public void Logits_have_the_batch_sequence_and_vocabulary_shape()
    {
        var (model, imageId) = Tiny();
        using var scope = NewDisposeScope();
        var ids = tensor(Sequence(imageId, 7, 1).Concat(Sequence(imageId, 7, 2)).ToArray(), [2, 28]);
        var logits = model.Logits(ids, ones(2, 28, ScalarType.Bool), Images(2, 1));
        Assert.Equal(new long[] { 2, 28, Vocabulary }, logits.shape);
        Assert.False(logits.isnan().any().item<bool>());
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, false)]
    public void A_later_token_or_padding_never_changes_an_earlier_position(bool rotary, bool copy)
    {
        var (model, imageId) = Tiny(rotary: rotary, copy: copy);
        using var scope = NewDisposeScope();
        long[] a = Sequence(imageId, 6, 3);
        long[] b = (long[])a.Clone();
        b[^1] = b[^1] == 50 ? 51 : 50;                          // only the last token differs
        var images = Images(1, 4);
        var la = model.Logits(tensor(a, [1, a.Length]), ones(1, a.Length, ScalarType.Bool), images);
        var lb = model.Logits(tensor(b, [1, b.Length]), ones(1, b.Length, ScalarType.Bool), images);
        Assert.True(la[.., ..^1].allclose(lb[.., ..^1], 1e-6, 1e-6));
        Assert.False(la[.., ^1].allclose(lb[.., ^1], 1e-6, 1e-6));

        // Left padding (generation) and right padding (training) leave the real positions as if alone.
        long[] padded = [.. new long[4], .. a];
        var left = model.Logits(tensor(padded, [1, padded.Length]), tensor(padded.Select((_, i) => i >= 4).ToArray(), [1, padded.Length]), images);
        Assert.True(left[.., 4..].allclose(la, 1e-5, 1e-5));
        long[] right = [.. a, .. new long[3]];
        var lr = model.Logits(tensor(right, [1, right.Length]), tensor(right.Select((_, i) => i < a.Length).ToArray(), [1, right.Length]), images);
        Assert.True(lr[.., ..a.Length].allclose(la, 1e-5, 1e-5));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, false)]
    public void Decoding_with_the_kv_cache_equals_decoding_by_full_recompute_and_a_batch_equals_its_members_alone(bool rotary, bool copy)
    {
        var (model, imageId) = Tiny(rotary: rotary, copy: copy);
        var (sequences, generator) = Generator(model);
        var prompts = new[]
        {
            (sequences.Prompt(new StudentPrompt("actor", "explore north", "agent 0 at (1, 2, 3)", "")), TrajectorySamples.Image(1, 64, 64).Pixels),
            (sequences.Prompt(new StudentPrompt("manager", "find a pig", "agent 0 at (0, 64, 0) facing north, a long state text", "progress: placed 0")), TrajectorySamples.Image(2, 64, 64).Pixels),
        };
        generator.Timings = new GenerationTimings();
        var cached = generator.Generate(prompts);
        var call = Assert.Single(generator.Timings.Calls);
        generator.Timings = null;
        var full = generator.Generate(prompts, useCache: false);
        Assert.Equal(sequences.Config.MaxActionTokens - 1, cached[0].Length);   // a random model rarely says eos: the budget ends it
        // The split student-bench prints: one prefill, then a model call for every token after the first.
        Assert.Equal((2, sequences.Config.MaxActionTokens - 2), (call.Batch, call.Steps));
        Assert.True(call.PrefillMs > 0 && call.DecodeMs > 0);
        for (int i = 0; i < prompts.Length; i++)
        {
            Assert.Equal(full[i], cached[i]);
            Assert.Equal(generator.Generate([prompts[i]])[0], cached[i]);
        }
        // Sampling is seeded: the same seed gives the same answers.
        var sampling = new SamplingOptions(Temperature: 1.0, TopK: 20);
        Assert.Equal(generator.Generate(prompts, sampling, new Random(4)), generator.Generate(prompts, sampling, new Random(4)));
        // With a random stream per row, a sampled row is the same alone as in the batch, whatever shares the batch.
        var batched = generator.Generate(prompts, sampling, [new Random(11), new Random(12)]);
        Assert.Equal(generator.Generate([prompts[1]], sampling, [new Random(12)])[0], batched[1]);
        Assert.Equal(generator.Generate([prompts[1], prompts[0]], sampling, [new Random(12), new Random(13)])[0], batched[1]);
    }

    /// <summary>
    /// The greedy retries' mechanics (<see cref="StudentAsking"/>): a branch reads its prefix as if the model had written
    /// it, and only its first pick is constrained.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_branch_continues_its_prefix_as_if_written_and_never_picks_the_banned_token_next(bool useCache)
    {
        var (model, _) = Tiny(seed: 8);
        var (sequences, generator) = Generator(model);
        var prompts = new[]
        {
            (sequences.Prompt(new StudentPrompt("actor", "explore north", "agent 0 at (1, 2, 3)", "")), TrajectorySamples.Image(1, 64, 64).Pixels),
            (sequences.Prompt(new StudentPrompt("conductor", "build", "agent 1 at (4, 44, -6)", "plan: 3 of 9 left")), TrajectorySamples.Image(2, 64, 64).Pixels),
        };
        Random[] Streams() => [new Random(1), new Random(2)];
        var greedy = generator.GenerateAnswers(prompts, null, Streams(), useCache: useCache);
        foreach (var answer in greedy)
        {
            // One pick per token written (and one for eos when written), in order, each leading the runner-up.
            Assert.Equal(Enumerable.Range(0, answer.Choices.Count), answer.Choices.Select(c => c.Position));
            Assert.True(answer.Choices.Count >= answer.Ids.Length);
            Assert.Equal(answer.Ids, answer.Choices.Take(answer.Ids.Length).Select(c => c.Token));
            Assert.All(answer.Choices, c => Assert.True(c.Margin >= 0));
        }

        int at = 3;
        int[] prefix = greedy[0].Ids[..at];
        // Banning a token the greedy answer did not pick there changes nothing: the prefix is read as if written.
        int other = Enumerable.Range(40, 200).First(t => t != greedy[0].Ids[at]);
        var same = generator.GenerateAnswers(prompts, null, Streams(), [new AnswerBranch(prefix, other), null], useCache);
        Assert.Equal(greedy[0].Ids, same[0].Ids);
        Assert.Equal(greedy[1].Ids, same[1].Ids);                  // a row without a branch is as it was
        Assert.Equal(greedy[0].Choices.Skip(at).Select(c => c.Token), same[0].Choices.Select(c => c.Token));   // the prefix has no picks

        // Banning its own pick sends it another way right there, after the same prefix; alone or in a batch alike.
        var branched = generator.GenerateAnswers(prompts, null, Streams(), [new AnswerBranch(prefix, greedy[0].Ids[at]), null], useCache);
        Assert.Equal(prefix, branched[0].Ids[..at]);
        Assert.NotEqual(greedy[0].Ids[at], branched[0].Choices[0].Token);
        Assert.Equal(at, branched[0].Choices[0].Position);
        Assert.True(branched[0].Ids.Length <= sequences.Config.MaxActionTokens - 1);
        var alone = generator.GenerateAnswers([prompts[0]], null, [new Random(1)], [new AnswerBranch(prefix, greedy[0].Ids[at])], useCache);
        Assert.Equal(branched[0].Ids, alone[0].Ids);

        // Banning what the branch took there too goes a third way (the k-th choice at a place: StudentAsking's retries).
        int second = branched[0].Choices[0].Token;
        var third = generator.GenerateAnswers([prompts[0]], null, [new Random(1)], [new AnswerBranch(prefix, [greedy[0].Ids[at], second])], useCache);
        Assert.Equal(prefix, third[0].Ids[..at]);
        Assert.DoesNotContain(third[0].Choices[0].Token, new[] { greedy[0].Ids[at], second });
        Assert.Equal(at, third[0].Choices[0].Position);

        Assert.Throws<ArgumentException>(() => generator.GenerateAnswers([prompts[0]], null, [new Random(1)],
            [new AnswerBranch(new int[sequences.Config.MaxActionTokens - 1], 0)], useCache));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, false)]
    public void A_checkpoint_round_trips_its_weights_config_and_tokenizer(bool rotary, bool copy)
    {
        var (model, _) = Tiny(rotary: rotary, copy: copy);
        var tokenizer = CompactBpeTokenizer.Fit(["place(\"oak_planks\", 4, 45, 3)"], StudentVocabulary.Specials, TextNormalization.None, byteFallback: true);
        using var folder = new TestFolder();
        string path = folder.Sub("s.ckpt");
        var header = new StudentHeader(StudentCheckpoint.Version, model.Config, tokenizer.Vocabulary, "bc", 3, 0.5, "abc", new StudentTrainOptions(), false);
        StudentCheckpoint.Save(path, header, model);
        var (read, loaded, readTokenizer, offset) = StudentCheckpoint.Load(path);
        Assert.Equal(model.Config, read.Config);
        Assert.Equal(-1, offset);
        Assert.Equal(tokenizer.Encode("place(\"stone\", 1, 2, 3)"), readTokenizer.Encode("place(\"stone\", 1, 2, 3)"));
        var expected = model.parameters().ToList();
        var actual = loaded.parameters().ToList();
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++) Assert.True(expected[i].allclose(actual[i], 0, 0));
        File.WriteAllBytes(folder.Sub("bad.ckpt"), [.. "S2VQCKPT"u8, 0, 0, 0, 0]);
        Assert.Throws<InvalidDataException>(() => StudentCheckpoint.Load(folder.Sub("bad.ckpt")));
    }

    [Fact]
    public void The_copy_head_gives_a_distribution_and_with_its_gate_shut_on_the_vocabulary_only_tokens_read_so_far()
    {
        var (model, imageId) = Tiny(seed: 8);
        using var scope = NewDisposeScope();
        long[] a = Sequence(imageId, 9, 6);
        var ids = tensor(a, [1, a.Length]);
        var mask = ones(1, a.Length, ScalarType.Bool);
        var images = Images(1, 2);
        var logits = model.Logits(ids, mask, images);
        Assert.True(logits.exp().sum(-1).allclose(ones(1, a.Length), 1e-4, 1e-4));

        // The gate's bias far below zero: every position writes from the pointer alone.
        var bias = model.named_parameters().Single(p => p.name.EndsWith("copy.gate.bias")).parameter;
        using (no_grad()) bias.fill_(-40.0);
        var p = model.Logits(ids, mask, images).exp();
        for (int t = 0; t < a.Length; t++)
        {
            var seen = a.Take(t + 1).ToHashSet();
            double outside = Enumerable.Range(0, Vocabulary).Where(w => !seen.Contains(w)).Sum(w => p[0, t, w].item<float>());
            Assert.True(outside < 1e-4, $"position {t}: {outside} of the mass on tokens not read");
        }
    }

    [Fact]
    public void The_tokenizer_round_trips_any_text_with_byte_fallback()
    {
        var tokenizer = StudentVocabulary.Fit(["agent 0: explore north", "place(\"oak_planks\", 4, 45, 3)"]);
        foreach (string text in new[] { "agent 0: explore north", "zyxwv qqq überwältigt 🙂\nmine(1, -2, 3)", "" })
            Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
        Assert.DoesNotContain(SpecialTokens.UnknownId, tokenizer.Encode("never seen: ßø漢字"));
        Assert.Equal(StudentVocabulary.Specials.Names, tokenizer.Specials.Names);
    }

    [Fact]
    public void A_code_actions_first_number_is_the_same_piece_as_the_prompts_number()
    {
        var tokenizer = StudentVocabulary.Fit(["stop at 113 52 112", "moveTo(113, 52, 112)", "agent 0 at (0, 43, 7)"]);
        int[] prompt = StudentVocabulary.Encode(tokenizer, "stop at 113 52 112");
        int[] answer = StudentVocabulary.Encode(tokenizer, "moveTo(113, 52, 112)");
        Assert.Equal(prompt.Skip(2), answer.Where(prompt.Contains));   // " 113", " 52", " 112": all three copyable
        Assert.Equal(tokenizer.Encode(" 113"), StudentVocabulary.Encode(tokenizer, "(113").Skip(1));   // not v7's "113"
        Assert.Equal(tokenizer.Encode(" -9"), StudentVocabulary.Encode(tokenizer, "(-9").Skip(1));     // not v7's "(-", "9"

        foreach (string text in new[] { "moveTo(113, 52, 112)", "moveTo(-40, 43, -24)", "digDown(4)", "lookAt(45, 2.7)",
                     "agent 0 at (0, 43, 7)", "mine(-9, 39, 31)", "craft(\"stick\", 4)", "( 5 stays", "" })
        {
            Assert.Equal(StudentVocabulary.ModelText(text), StudentVocabulary.ModelText(StudentVocabulary.ModelText(text)));
            if (!text.Contains("( ", StringComparison.Ordinal))
                Assert.Equal(text, StudentVocabulary.Decode(tokenizer, StudentVocabulary.Encode(tokenizer, text)));
        }
        Assert.Equal("digDown( 4)", StudentVocabulary.ModelText("digDown(4)"));
        Assert.Equal("mine( -9, 39, 31)", StudentVocabulary.ModelText("mine(-9, 39, 31)"));
    }

    [Fact]
    public void A_code_actions_first_word_is_the_same_piece_as_the_notes_word()
    {
        var tokenizer = StudentVocabulary.Fit(["goal: 52 blocks south, 2 up; too far to walk, explore south", "explore(southeast, 50)", "explore(south, 50)", "craft(\"stick\", 4)"]);
        int[] south = tokenizer.Encode(" south");
        Assert.Single(south);
        int[] answer = StudentVocabulary.Encode(tokenizer, "explore(south, 50)");
        int at = Array.IndexOf(answer, south[0]);
        Assert.True(at > 0, "the answer holds the notes' \" south\" piece");   // not v9's "south"
        Assert.Equal(tokenizer.Encode("("), answer[(at - 1)..at]);
        Assert.Contains(south[0], StudentVocabulary.Encode(tokenizer, "goal: 52 blocks south, 2 up; too far to walk, explore south"));
        Assert.Equal("explore( south, 50)", StudentVocabulary.ModelText("explore(south, 50)"));
        Assert.Equal("craft(\"stick\", 4)", StudentVocabulary.ModelText("craft(\"stick\", 4)"));   // a quoted name stays
        foreach (string text in new[] { "explore(south, 50)", "tunnel(northwest, 8)", "staircase(east, 3)", "wait()", "craft(\"stick\", 4)" })
            Assert.Equal(text, StudentVocabulary.Decode(tokenizer, StudentVocabulary.Encode(tokenizer, text)));
    }
}
