using Expert.VqVae.MlCore.Runtime;
using Steve2.Pipeline.Student.Data;
using Steve2.Pipeline.Student.Inference;
using Steve2.Pipeline.Student.Model;
using Steve2.Pipeline.Student.Model.Pretrained;
using Steve2.Pipeline.Tests.Trajectories;
using TorchSharp;
using static TorchSharp.torch;

namespace Steve2.Pipeline.Tests.Student;

/// <summary>The student on CUDA gives what it gives on the CPU: logits within float tolerance and the same greedy answers (skipped without a GPU).</summary>
[Collection(StudentCollection.Name)]
public sealed class StudentCudaTests
{
    public StudentCudaTests() => TorchRuntime.Initialize();

    [CudaFact]
    public Task The_tiny_student_and_a_pretrained_decoder_on_cuda_equal_the_cpu() => CompareWithCpuAsync(CUDA);

    /// <summary>The comparison on <paramref name="device"/> (the CUDA fact's body; run with the CPU, it passes trivially: it was checked so once).</summary>
    private static async Task CompareWithCpuAsync(Device device)
    {
        using var folder = new TestFolder();
        var data = await StudentTestData.SmallSetAsync(folder.Sub("data"));
        var lm = TinyPretrainedCheckpoint.Write(folder.Sub("lm"));
        var cpuModels = new[]
        {
            StudentTestData.TinyModel(data, seed: 8),
            StudentModel.WithPretrained(StudentConfig.ForPreset("tiny", data.Tokenizer.VocabularySize), PretrainedDecoder.Load(lm.Folder, frozen: true)),
        };
        foreach (var cpuModel in cpuModels)
        {
            var sequences = new StudentSequences(data.Tokenizer, cpuModel.Config);
            var batch = data.Examples.Take(4).Select(e => (sequences.Prompt(e.RoleId, e.Instruction, e.State, e.Memory), data.Images[e.ImageIndex])).ToList();
            var onCpu = new StudentGenerator(cpuModel, sequences, CPU);
            var cpuAnswers = onCpu.Generate(batch);

            using (no_grad())
            using (NewDisposeScope())
            {
                using var cpuBatch = StudentBatches.Make(data, sequences, data.Examples.Take(4).ToList(), CPU, onCpu.TokenMap);
                var expected = cpuModel.Logits(cpuBatch.Ids, cpuBatch.KeyMask, cpuBatch.Images);
                cpuModel.to(device);
                using var gpuBatch = StudentBatches.Make(data, sequences, data.Examples.Take(4).ToList(), device, onCpu.TokenMap);
                var actual = cpuModel.Logits(gpuBatch.Ids, gpuBatch.KeyMask, gpuBatch.Images).cpu();
                Assert.Equal(device.type, cpuModel.parameters().First().device_type);
                Assert.True(actual.allclose(expected, 1e-3, 1e-3), $"max difference {(actual - expected).abs().max().item<float>()}");
            }
            Assert.Equal(cpuAnswers, new StudentGenerator(cpuModel, sequences, device).Generate(batch));
        }
    }
}
