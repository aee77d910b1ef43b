using System.Buffers.Binary;
using System.Text.Json;
using Expert.VqVae.MlCore.Runtime;
using Steve2.Pipeline.Student.Data;
using Steve2.Pipeline.Student.Inference;
using Steve2.Pipeline.Student.Model;
using Steve2.Pipeline.Student.Model.Pretrained;
using Steve2.Pipeline.Student.Training;
using Steve2.Pipeline.Tests.Trajectories;
using TorchSharp;
using static TorchSharp.torch;

namespace Steve2.Pipeline.Tests.Student;

/// <summary>
/// The pretrained-decoder route on a tiny Qwen2-layout checkpoint the test writes: the safetensors layout, the
/// tokenizer, the logits against a straightforward double-precision computation, the KV cache, a training step with
/// the decoder frozen and trained, the checkpoint's identity record, and generation after reloading.
/// </summary>
[Collection(StudentCollection.Name)]
public sealed class PretrainedDecoderTests
{
    public PretrainedDecoderTests() => TorchRuntime.Initialize();

    [Fact]
    public void The_written_file_is_safetensors_with_the_hugging_face_names()
    {
        using var folder = new TestFolder();
        var ckpt = TinyPretrainedCheckpoint.Write(folder.Sub("lm"));
        byte[] bytes = File.ReadAllBytes(Path.Combine(ckpt.Folder, "model.safetensors"));
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        var entry = header.RootElement.GetProperty("model.layers.1.self_attn.k_proj.weight");
        Assert.Equal("F32", entry.GetProperty("dtype").GetString());
        Assert.Equal([TinyPretrainedCheckpoint.KvHeads * TinyPretrainedCheckpoint.HeadDim, TinyPretrainedCheckpoint.Hidden], entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()));
        long start = entry.GetProperty("data_offsets")[0].GetInt64();
        float first = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan((int)(8 + headerLength + start)));
        Assert.Equal(ckpt.Weights["model.layers.1.self_attn.k_proj.weight"][0], first);
    }

    [Fact]
    public void The_tokenizer_applies_the_merges_and_round_trips_any_text()
    {
        using var folder = new TestFolder();
        var ckpt = TinyPretrainedCheckpoint.Write(folder.Sub("lm"));
        var tokenizer = PretrainedTokenizer.Load(ckpt.Folder);
        int[] ids = tokenizer.Encode("place(\"oak_planks\", 5, 45, 3) a");
        Assert.Contains(258, ids);                                   // "plac": two merges of merges
        Assert.Contains(259, ids);                                   // "Ġa": a space-prefixed piece
        Assert.Equal("place(\"oak_planks\", 5, 45, 3) a", tokenizer.Decode(ids));
        string unseen = "日本 ünïcödé\n\tend";
        Assert.Equal(unseen, tokenizer.Decode(tokenizer.Encode(unseen)));
        Assert.Equal("pl", tokenizer.Decode([256, TinyPretrainedCheckpoint.Eos, 300]));   // added/padded ids are left out
    }

    /// <summary>Catches: a wrong rotary convention, a wrong query-to-key/value head grouping, a missing bias, RMSNorm's eps or a name mapped to the wrong module.</summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]    // a head tied to the embedding table, stored as bfloat16
    public void Its_logits_equal_a_straightforward_computation_from_the_weights(bool tied, bool bf16)
    {
        using var folder = new TestFolder();
        var ckpt = TinyPretrainedCheckpoint.Write(folder.Sub("lm"), tied: tied, bf16: bf16);
        var decoder = PretrainedDecoder.Load(ckpt.Folder, frozen: true);
        Assert.Equal("Qwen2ForCausalLM", decoder.Config.Architecture);
        Assert.True(decoder.Config.AttentionBias);
        Assert.Equal(tied, decoder.Config.TieEmbeddings);
        int[] tokens = [256, 97, 259, 40, 12];
        double[][] expected = ckpt.ReferenceLogits(tokens);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = tensor(tokens.Select(t => (long)t).ToArray(), [1, tokens.Length]);
        var logits = decoder.Forward(decoder.Embed(ids), ones(1, tokens.Length, ScalarType.Bool));
        float[] actual = logits.data<float>().ToArray();
        for (int t = 0; t < tokens.Length; t++)
            for (int v = 0; v < TinyPretrainedCheckpoint.Vocabulary; v++)
                Assert.True(Math.Abs(actual[t * TinyPretrainedCheckpoint.Vocabulary + v] - expected[t][v]) < 1e-4,
                    $"position {t}, token {v}: {actual[t * TinyPretrainedCheckpoint.Vocabulary + v]} vs {expected[t][v]}");

        // Left padding leaves the real positions as if alone (positions count real tokens).
        var padded = tensor(new long[] { 0, 0, 256, 97, 259, 40, 12 }, [1, 7]);
        var keyMask = tensor(new[] { false, false, true, true, true, true, true }, [1, 7]);
        Assert.True(decoder.Forward(decoder.Embed(padded), keyMask)[.., 2..].allclose(logits, 1e-5, 1e-5));
    }

    [Fact]
    public async Task Kv_cache_decoding_equals_full_decoding_and_a_batch_its_members_alone()
    {
        using var folder = new TestFolder();
        var ckpt = TinyPretrainedCheckpoint.Write(folder.Sub("lm"));
        var data = await StudentTestData.SmallSetAsync(folder.Sub("data"));
        torch.manual_seed(4);
        var model = StudentModel.WithPretrained(StudentConfig.ForPreset("tiny", data.Tokenizer.VocabularySize), PretrainedDecoder.Load(ckpt.Folder, frozen: true));
        var sequences = new StudentSequences(data.Tokenizer, model.Config);
        var generator = new StudentGenerator(model, sequences, CPU);
        var batch = data.Examples.Take(3).Select(e => (sequences.Prompt(e.RoleId, e.Instruction, e.State, e.Memory), data.Images[e.ImageIndex])).ToList();
        int[] mapped = generator.TokenMap.Prompt(batch[0].Item1);
        Assert.Contains(TinyPretrainedCheckpoint.Vocabulary, mapped);                       // image slots: one past the LM's vocabulary
        Assert.Equal(model.Config.Vision.Tokens, mapped.Count(id => id == TinyPretrainedCheckpoint.Vocabulary));
        Assert.All(mapped.Where(id => id != TinyPretrainedCheckpoint.Vocabulary), id => Assert.InRange(id, 0, 259));

        var cached = generator.Generate(batch);
        var full = generator.Generate(batch, useCache: false);
        Assert.Equal(cached, full);
        Assert.Contains(cached, a => a.Length > 0);
        for (int i = 0; i < batch.Count; i++) Assert.Equal(cached[i], generator.Generate([batch[i]])[0]);
    }

    /// <summary>Catches: a frozen decoder that moves, a trained one not saved, an identity not recorded or not checked, a reload that differs.</summary>
    [Fact]
    public async Task Train_student_trains_the_vit_and_projector_around_it_and_the_checkpoint_names_the_decoder()
    {
        using var folder = new TestFolder();
        var ckpt = TinyPretrainedCheckpoint.Write(folder.Sub("lm"));
        var data = await StudentTestData.SmallSetAsync(folder.Sub("data"));
        var options = new StudentTrainOptions
        {
            Preset = "tiny", Steps = 2, BatchSize = 2, WarmupSteps = 0, ValidateEvery = 2, ValidationLimit = 2, CheckpointEvery = 2, Seed = 5,
            LearningRate = 1e-2, DecoderPath = ckpt.Folder,
        };
        string frozenRun = folder.Sub("frozen");
        var result = new StudentTrainer(options).Train(data, frozenRun, CPU);
        Assert.Contains("val/exact/all", result.Validation.Keys);

        var (header, model, tokenizer, _) = StudentCheckpoint.Load(result.ModelPath);
        var p = header.Config.Pretrained!;
        Assert.True(p.Frozen);
        Assert.Equal("Qwen2ForCausalLM", p.Architecture);
        Assert.Equal(PretrainedDecoderConfig.Read(ckpt.Folder, frozen: true).Files, p.Files);
        Assert.Equal(2, model.Parts.Count);                                                  // the frozen decoder is not in the file
        var fresh = PretrainedDecoder.Load(ckpt.Folder, frozen: true);
        Assert.True(SameWeights((nn.Module)model.Decoder, fresh));
        torch.manual_seed(options.Seed);
        var initial = StudentModel.WithPretrained(StudentConfig.ForPreset("tiny", data.Tokenizer.VocabularySize), fresh);
        Assert.False(SameWeights(model.Parts[1], initial.Parts[1]));                         // the projector learned

        // The reloaded student generates, and answers as it did when it was saved.
        var sequences = new StudentSequences(tokenizer, model.Config);
        var batch = data.Validation.Take(2).Select(e => (sequences.Prompt(e.RoleId, e.Instruction, e.State, e.Memory), data.Images[e.ImageIndex])).ToList();
        var texts = new StudentGenerator(model, sequences, CPU).GenerateText(batch);
        var (_, again, _, _) = StudentCheckpoint.Load(result.ModelPath);
        Assert.Equal(texts, new StudentGenerator(again, sequences, CPU).GenerateText(batch));

        // Trained too: the decoder moves and is saved in the checkpoint.
        var trained = new StudentTrainer(options with { FreezeDecoder = false }).Train(data, folder.Sub("trained"), CPU);
        var (_, tuned, _, _) = StudentCheckpoint.Load(trained.ModelPath);
        Assert.Equal(3, tuned.Parts.Count);
        Assert.False(SameWeights((nn.Module)tuned.Decoder, fresh));

        // The folder moved: the checkpoint is loaded with the new folder, checked file by file.
        string moved = folder.Sub("moved-lm");
        Directory.Move(ckpt.Folder, moved);
        Assert.Contains("--student-decoder", Assert.Throws<ArgumentException>(() => StudentCheckpoint.Load(result.ModelPath)).Message);
        var (_, fromMoved, _, _) = StudentCheckpoint.Load(result.ModelPath, moved);
        Assert.Equal(texts, new StudentGenerator(fromMoved, sequences, CPU).GenerateText(batch));

        // The files changed: the checkpoint refuses them.
        File.AppendAllText(Path.Combine(moved, "merges.txt"), "Ġ p\n");
        var e = Assert.Throws<ArgumentException>(() => StudentCheckpoint.Load(result.ModelPath, moved));
        Assert.Contains("merges.txt", e.Message);
    }

    /// <summary>Catches: the frozen decoder's run not resumable (its checkpoint holds only the ViT, the projector and their AdamW state).</summary>
    [Fact]
    public async Task A_run_around_a_frozen_decoder_stopped_by_cancel_resumes_to_exactly_the_uninterrupted_run()
    {
        using var folder = new TestFolder();
        var ckpt = TinyPretrainedCheckpoint.Write(folder.Sub("lm"));
        var data = await StudentTestData.SmallSetAsync(folder.Sub("data"));
        var options = new StudentTrainOptions
        {
            Preset = "tiny", Steps = 4, BatchSize = 2, WarmupSteps = 1, ValidateEvery = 4, ValidationLimit = 2, CheckpointEvery = 2, Seed = 3, DecoderPath = ckpt.Folder,
        };
        string through = folder.Sub("through"), stopped = folder.Sub("stopped");
        new StudentTrainer(options).Train(data, through, CPU);
        using (var cts = new CancellationTokenSource())
            Assert.ThrowsAny<OperationCanceledException>(() => new StudentTrainer(options, new StudentTrainerTests.CancelAt(cts, 3)).Train(data, stopped, CPU, cts.Token));
        Assert.Equal(2, StudentCheckpoint.Format.ReadHeader(Path.Combine(stopped, StudentTrainer.LatestName)).Step);
        torch.manual_seed(77);
        new StudentTrainer(options).Train(data, stopped, CPU);
        Assert.Equal(File.ReadAllBytes(Path.Combine(through, StudentTrainer.ModelName)), File.ReadAllBytes(Path.Combine(stopped, StudentTrainer.ModelName)));
    }

    /// <summary>The user's route end to end: train-student --decoder on recorded episodes, then the student plays through eval (policy, batcher, agent).</summary>
    [Fact]
    public async Task The_cli_trains_around_a_decoder_folder_and_eval_plays_the_result()
    {
        using var folder = new TestFolder();
        var ckpt = TinyPretrainedCheckpoint.Write(folder.Sub("lm"), tied: true);
        string data = folder.Sub("traj"), run = folder.Sub("run"), eval = folder.Sub("eval");
        foreach (int seed in new[] { 1_000_020, 1_000_029 })
            await StudentTestData.RecordAsync(data, "collection", seed, null, budget: 4);

        var train = await Steve2.Pipeline.Tests.Cli.CliRun.RunAsync("train-student", "--data", data, "--output", run, "--preset", "tiny", "--device", "cpu",
            "--steps", "2", "--batch", "2", "--validate-every", "2", "--validation-limit", "2", "--decoder", ckpt.Folder, "--freeze-decoder", "false");
        Assert.True(train.ExitCode == 0, train.Output + train.Error);
        Assert.Contains("decoder Qwen2ForCausalLM from " + ckpt.Folder, train.Output);
        var header = StudentCheckpoint.Format.ReadHeader(Path.Combine(run, StudentTrainer.ModelName));
        Assert.False(header.Config.Pretrained!.Frozen);
        Assert.Equal(ckpt.Folder, header.Training!.DecoderPath);

        var play = await Steve2.Pipeline.Tests.Cli.CliRun.RunAsync("eval", "--agents", "student", "--student", Path.Combine(run, StudentTrainer.ModelName),
            "--device", "cpu", "--tasks", "collection", "--seeds", "0", "--max-iterations", "3", "--parallel", "1", "--output", eval);
        Assert.True(play.ExitCode == 0, play.Output + play.Error);
        using var results = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(eval, "results.json")));
        var episode = Assert.Single(results.RootElement.GetProperty("episodes").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, episode.GetProperty("error").ValueKind);
        Assert.InRange(episode.GetProperty("iterations").GetInt32(), 1, 3);
    }

    private static bool SameWeights(nn.Module a, nn.Module b)
    {
        var x = a.state_dict();
        var y = b.state_dict();
        return x.Count == y.Count && x.All(kv => y.TryGetValue(kv.Key, out var other) && kv.Value.shape.SequenceEqual(other.shape) && kv.Value.eq(other).all().item<bool>());
    }
}
