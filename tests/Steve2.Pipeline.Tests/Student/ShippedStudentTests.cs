using Expert.VqVae.MlCore.Runtime;
using Steve2.Pipeline.Student.Data;
using Steve2.Pipeline.Student.Inference;
using Steve2.Pipeline.Student.Training;
using Steve2.Pipeline.Tests.Trajectories;
using TorchSharp;
using Xunit.Abstractions;

namespace Steve2.Pipeline.Tests.Student;

/// <summary>
/// The shipped student's quality as a regression floor: on fresh recordings of the teacher it clones (teacher-no-expert)
/// on held-out training seeds (ending in 9, never trained on), its greedy answers match the teacher's and parse and pass
/// the critic's checks. The floors are far below what it measured at training (STUDENT.md: held-out exact match 0.66,
/// actor 0.86, validity 0.95), so a different BLAS cannot cross them; a checkpoint that lost its training (a fresh model,
/// another tokenizer, a broken prompt layout) falls far below them.
/// </summary>
[Collection(StudentCollection.Name)]
public sealed class ShippedStudentTests
{
    private readonly ITestOutputHelper _output;

    public ShippedStudentTests(ITestOutputHelper output)
    {
        _output = output;
        TorchRuntime.Initialize();
    }

    [Fact]
    public async Task The_shipped_student_copies_the_no_expert_teacher_on_held_out_seeds()
    {
        using var folder = new TestFolder();
        foreach (var (task, seed) in new[] { ("exploration", 1_000_009), ("collection", 1_000_019), ("block-search", 1_000_029), ("object-search", 1_000_039) })
            await StudentTestData.RecordAsync(folder.Path, task, seed, null, budget: 6);
        var (_, model, tokenizer, _) = StudentCheckpoint.Load(StudentAgentOptions.ShippedCheckpoint);
        using (model)
        {
            var data = StudentDataset.Build(folder.Path, tokenizer);
            var held = data.Validation.ToList();
            Assert.Equal(data.Examples.Count, held.Count);
            var figures = StudentValidation.Run(model, new StudentSequences(tokenizer, model.Config), data, held, torch.CPU, 16);
            _output.WriteLine($"{held.Count} decisions: {Describe(figures)}");

            Assert.True(figures["val/exact/all"] >= 0.3, Describe(figures));
            Assert.True(figures["val/exact/actor"] >= 0.45, Describe(figures));
            Assert.True(figures["val/valid/all"] >= 0.7, Describe(figures));
            Assert.True(figures["val/token_acc/all"] >= 0.7, Describe(figures));
        }
    }

    private static string Describe(IReadOnlyDictionary<string, double> figures) =>
        string.Join(", ", figures.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value:0.###}"));
}
