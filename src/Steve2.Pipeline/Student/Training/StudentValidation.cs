using System.Text.Json;
using Steve2.Pipeline.Student.Data;
using Steve2.Pipeline.Student.Inference;
using Steve2.Pipeline.Student.Model;
using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Trajectories;
using static TorchSharp.torch;

namespace Steve2.Pipeline.Student.Training;

/// <summary>
/// Validation on held-out seeds, per role (manager, conductor, actor) and over all: exact match of the greedy answer
/// with the teacher's action text, validity (the answer parses with the teacher's parser and passes the critic's
/// feasibility checks on the recorded facts, <see cref="StudentAnswers"/>) and teacher-forced token accuracy.
/// Metric names: <c>val/exact/ROLE</c>, <c>val/valid/ROLE</c>, <c>val/token_acc/ROLE</c>, <c>val/loss</c>, and ".../all".
/// <paramref name="observe"/>, when given, sees every example with the greedy answer and whether it was valid
/// (<c>steve2 student-validate --answers</c> writes them).
/// </summary>
public static class StudentValidation
{
    public static Dictionary<string, double> Run(StudentModel model, StudentSequences sequences, StudentDataset data,
        IReadOnlyList<StudentExample> examples, Device device, int batchSize, Action<StudentExample, string, string?>? observe = null)
    {
        var generator = new StudentGenerator(model, sequences, device);
        var stats = new Dictionary<string, (double Exact, double Valid, long Correct, long Tokens, int Count)>();
        double lossSum = 0;
        int lossBatches = 0;
        model.eval();
        for (int start = 0; start < examples.Count; start += batchSize)
        {
            var chunk = examples.Skip(start).Take(batchSize).ToList();
            using (no_grad())
            using (NewDisposeScope())
            {
                using var batch = StudentBatches.Make(data, sequences, chunk, device, generator.TokenMap);
                var scored = batch.Targets.ne(StudentBatch.Ignore);
                var logits = model.Logits(batch.Ids, batch.KeyMask, batch.Images, at: scored);     // [N, V]: the answer positions only
                var targets = batch.Targets[scored];
                lossSum += nn.functional.cross_entropy(logits, targets).item<float>();
                lossBatches++;
                var rowOf = arange(scored.shape[0], device: device).unsqueeze(1).expand_as(scored)[scored];
                var hit = zeros(scored.shape[0], ScalarType.Int64, device).index_add_(0, rowOf, logits.argmax(-1).eq(targets).to(ScalarType.Int64), 1);
                long[] hits = hit.cpu().data<long>().ToArray(), counts = scored.sum(1).cpu().data<long>().ToArray();
                var texts = generator.GenerateText(chunk.Select(e => (sequences.Prompt(e.RoleId, e.Instruction, e.State, e.Memory), data.Images[e.ImageIndex])).ToList());
                for (int i = 0; i < chunk.Count; i++)
                {
                    var e = chunk[i];
                    var facts = e.FactsJson is null ? null : JsonSerializer.Deserialize<RoleFacts>(e.FactsJson, TrajectoryFormat.Json);
                    double exact = texts[i] == e.ActionText ? 1 : 0;
                    string? problem = StudentAnswers.Problem(e.Role, e.AgentId, texts[i], facts);
                    double valid = problem is null ? 1 : 0;
                    observe?.Invoke(e, texts[i], problem);
                    foreach (string key in new[] { e.Role, "all" })
                    {
                        var s = stats.GetValueOrDefault(key);
                        stats[key] = (s.Exact + exact, s.Valid + valid, s.Correct + hits[i], s.Tokens + counts[i], s.Count + 1);
                    }
                }
            }
        }
        var values = new Dictionary<string, double> { ["val/loss"] = lossBatches == 0 ? double.NaN : lossSum / lossBatches };
        foreach (var (key, s) in stats)
        {
            values[$"val/exact/{key}"] = s.Exact / s.Count;
            values[$"val/valid/{key}"] = s.Valid / s.Count;
            values[$"val/token_acc/{key}"] = s.Tokens == 0 ? 0 : (double)s.Correct / s.Tokens;
        }
        return values;
    }

    /// <summary>An even stride of at most <paramref name="limit"/> examples (deterministic).</summary>
    public static IReadOnlyList<StudentExample> Sample(IReadOnlyList<StudentExample> all, int limit)
    {
        if (all.Count <= limit) return all;
        double stride = (double)all.Count / limit;
        return Enumerable.Range(0, limit).Select(i => all[(int)(i * stride)]).ToList();
    }
}
