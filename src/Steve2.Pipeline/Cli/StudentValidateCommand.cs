using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Expert.DynamicMap.Shared;
using Steve2.Pipeline.Student.Data;
using Steve2.Pipeline.Student.Training;
using Steve2.Pipeline.Trajectories;

namespace Steve2.Pipeline.Cli;

/// <summary>
/// <c>steve2 student-validate --student PATH --data DIR [--limit N] [--answers FILE]</c>: a checkpoint's held-out
/// figures per role (the trainer's validation: exact match, validity, token accuracy) on the held-out seeds (ending
/// in 9) of any recorded folder, encoded with the checkpoint's tokenizer; <c>--answers</c> writes every decision's
/// prompt, the teacher's answer, the student's and the critic's verdict as JSON lines, to read what it gets wrong. The
/// figures are also given per kind of the teacher's answer (a directive's verb, a code action's name).
/// </summary>
internal static class StudentValidateCommand
{
    public static Command Create()
    {
        var model = new StudentModelCliOptions();
        var data = new Option<string>("--data") { Description = "Recorded trajectories (steve2 record); their held-out seeds (ending in 9) are used.", Required = true };
        var limit = new Option<int>("--limit") { Description = "Held-out decisions, an even stride apart (0: all).", DefaultValueFactory = _ => 300 };
        var answers = new Option<string?>("--answers") { Description = "Write each decision's prompt, the teacher's answer and the student's as JSON lines here." };
        var command = new Command("student-validate", "A student checkpoint's held-out figures per role on recorded trajectories, and optionally every answer.")
        {
            data, limit, answers,
        };
        foreach (var option in model.All) command.Options.Add(option);
        command.SetAction((parse, cancellationToken) => CliApp.GuardAsync(parse, async () =>
        {
            var (header, student, tokenizer, dev) = model.Load(parse);
            var dataset = StudentDataset.Build(parse.GetValue(data)!, tokenizer);
            var held = dataset.Validation.ToList();
            if (held.Count == 0)
                throw new ArgumentException($"--data {parse.GetValue(data)} has no held-out episode (seeds ending in 9).");
            int n = parse.GetValue(limit);
            var chosen = StudentValidation.Sample(held, n <= 0 ? held.Count : n);
            string? file = parse.GetValue(answers);
            var lines = new StringBuilder();
            string Text(int[] ids) => StudentVocabulary.Decode(tokenizer, ids);
            var kinds = new SortedDictionary<(string Role, string Kind), (int Count, int Exact, int SameKind)>();
            void Observe(StudentExample e, string answer, string? problem)
            {
                string kind = AnswerKind(e.ActionText);
                bool exact = answer == e.ActionText;
                var k = kinds.GetValueOrDefault((e.Role, kind));
                kinds[(e.Role, kind)] = (k.Count + 1, k.Exact + (exact ? 1 : 0), k.SameKind + (AnswerKind(answer) == kind ? 1 : 0));
                // The prompts are decoded and serialised only when asked for.
                if (file is not null)
                    lines.AppendLine(JsonSerializer.Serialize(new ValidationAnswer(e.Task, e.Seed, e.Role, e.AgentId,
                        Text(e.Instruction), Text(e.State), Text(e.Memory), e.ActionText, answer, exact, problem), TrajectoryFormat.Json));
            }
            var figures = StudentValidation.Run(student, new StudentSequences(tokenizer, student.Config), dataset, chosen, dev, 16, Observe);
            if (file is not null)
                AtomicFile.WriteBytes(file, Encoding.UTF8.GetBytes(lines.ToString()));
            TextWriter text = parse.InvocationConfiguration.Output;
            await text.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"student {header.Config.Preset} ({header.Stage}, step {header.Step}) on {chosen.Count} held-out decisions of {held.Count}:"));
            await text.WriteLineAsync("role        exact  valid  token acc  decisions");
            foreach (string role in new[] { "manager", "conductor", "actor", "all" })
            {
                if (!figures.ContainsKey($"val/exact/{role}")) continue;
                int count = role == "all" ? chosen.Count : chosen.Count(e => e.Role == role);
                await text.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{role,-10} {figures[$"val/exact/{role}"],6:F3} {figures[$"val/valid/{role}"],6:F3} {figures[$"val/token_acc/{role}"],10:F3} {count,10}"));
            }
            // Where the misses are: per role and kind of the teacher's answer (a directive's verb, a code action's name),
            // how often the student's answer is exact and how often it is at least of the same kind.
            await text.WriteLineAsync("by the teacher's answer kind: role kind  decisions  exact  same kind");
            foreach (var ((role, kind), k) in kinds)
                await text.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{role,-10} {kind,-12} {k.Count,9} {(double)k.Exact / k.Count,6:F3} {(double)k.SameKind / k.Count,10:F3}"));
            return CliApp.Ok;
        }));
        return command;
    }

    /// <summary>An answer's kind: its leading word (<c>explore</c> of <c>explore north</c>, <c>moveTo</c> of <c>moveTo(1, 2, 3)</c>).</summary>
    internal static string AnswerKind(string answer)
    {
        string trimmed = answer.TrimStart();
        int end = 0;
        while (end < trimmed.Length && (char.IsLetter(trimmed[end]) || trimmed[end] == '_')) end++;
        return end == 0 ? "(other)" : trimmed[..end];
    }

    /// <summary>One line of <c>--answers</c>: the decision's prompt as text, the teacher's answer and the student's.</summary>
    private sealed record ValidationAnswer(string Task, int Seed, string Role, int AgentId, string Instruction, string State,
        string Memory, string Teacher, string Student, bool Exact, string? Problem);
}
