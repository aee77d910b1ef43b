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
/// Native memory does not grow with inference: after a warm-up, some hundred model calls through the generator (greedy
/// and sampled, batch 1 and batched, with and without the KV cache, from-scratch and pretrained decoders) and through
/// a loaded <see cref="StudentPolicy"/> (its batcher thread, concurrent callers) leave the calling thread's count of live
/// tensors (TorchSharp's per-thread statistics) exactly where it was. The count is exact where RSS on a shared machine
/// is not, and other tests' threads do not touch it; a tensor never disposed stays counted even after a finalizer
/// frees it (that happens on the finalizer's thread), so every leaked temporary shows.
/// </summary>
[Collection(StudentCollection.Name)]
public sealed class StudentMemoryTests
{
    public StudentMemoryTests() => TorchRuntime.Initialize();

    [Fact]
    public async Task Many_inference_calls_leave_the_live_tensor_count_flat()
    {
        using var folder = new TestFolder();
        var data = await StudentTestData.SmallSetAsync(folder.Sub("data"));
        var lm = TinyPretrainedCheckpoint.Write(folder.Sub("lm"));
        var models = new[]
        {
            StudentTestData.TinyModel(data, seed: 9),
            StudentModel.WithPretrained(StudentConfig.ForPreset("tiny", data.Tokenizer.VocabularySize), PretrainedDecoder.Load(lm.Folder, frozen: true)),
        };
        foreach (var model in models)
        {
            var sequences = new StudentSequences(data.Tokenizer, model.Config);
            var generator = new StudentGenerator(model, sequences, CPU);
            var prompts = data.Examples.Take(6).Select(e => (sequences.Prompt(e.RoleId, e.Instruction, e.State, e.Memory), data.Images[e.ImageIndex])).ToList();
            var sampled = new SamplingOptions(0.9, 5);
            void Round(int i)
            {
                generator.Generate([prompts[i % prompts.Count]]);
                generator.Generate(prompts.Take(3).ToList(), sampled, new Random(i));
                if (i % 5 == 0) generator.Generate(prompts.Take(2).ToList(), useCache: false);
            }
            for (int i = 0; i < 3; i++) Round(i);
            long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            for (int i = 0; i < 10; i++) Round(i);
            Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }

        // Through a loaded policy: the batcher's worker thread, concurrent callers gathered into batches.
        string path = folder.Sub("student.ckpt");
        var tiny = models[0];
        StudentCheckpoint.Save(path, new StudentHeader(StudentCheckpoint.Version, tiny.Config, data.Tokenizer.Vocabulary, "bc", 0, 0, data.Fingerprint, null, false), tiny);
        using var policy = StudentPolicy.Load(new StudentAgentOptions { ModelPath = path, Device = "cpu", MaxBatch = 4 });
        var questions = data.Examples.Take(8).Select(e => (Prompt: new StudentPrompt(e.Role, data.Tokenizer.Decode(e.Instruction), data.Tokenizer.Decode(e.State), data.Tokenizer.Decode(e.Memory)), Image: data.Images[e.ImageIndex])).ToList();
        async Task Calls(int count)
        {
            for (int i = 0; i < count; i += questions.Count)
                await Task.WhenAll(questions.Select(q => policy.Batcher.GenerateAsync(q.Prompt, q.Image, SamplingOptions.Greedy, new Random(0), CancellationToken.None)));
        }
        await Calls(8);
        long warm = policy.Batcher.WorkerLiveTensors;
        await Calls(32);
        Assert.Equal(warm, policy.Batcher.WorkerLiveTensors);
        Assert.True(policy.Batcher.Counts.Batches < policy.Batcher.Counts.Calls);   // calls were batched
    }
}
