using Steve2.Pipeline.Student.Data;
using Steve2.Pipeline.Student.Distillation;
using Steve2.Pipeline.Tests.Trajectories;

namespace Steve2.Pipeline.Tests.Student.Distillation;

/// <summary>The schedules, the pair rules, the weights' formula and the pair file: pure mechanics, no model.</summary>
public sealed class PreferencePairTests
{
    [Fact]
    public void Beta_schedules_follow_their_formulas()
    {
        var linear = BetaSchedule.Parse("linear", 3);
        Assert.Equal([1, 0.75, 0.5, 0.25], Enumerable.Range(0, 4).Select(linear.Beta).ToArray());
        var exponential = BetaSchedule.Parse("exponential:0.5", 3);
        Assert.Equal([1, 0.5, 0.25, 0.125], Enumerable.Range(0, 4).Select(exponential.Beta).ToArray());
        Assert.Equal(0, BetaSchedule.Parse("constant", 2).Beta(1));
        Assert.Throws<ArgumentException>(() => BetaSchedule.Parse("cosine", 2));
    }

    [Fact]
    public void Pairs_keep_only_answers_the_critic_judged_worse_and_round_trip_through_their_file()
    {
        var prompt = new StudentPrompt("conductor", "explore north", "agent 0 at (1, 64, 2)", "progress: placed 0, removed 0");
        DaggerLabel Label(int step, string teacher, string? teacherProblem, params DaggerSample[] student) =>
            new("exploration", 1_000_001, step, step, "conductor", 0, prompt, "abc", student, teacher, teacherProblem, "student", 0.5);
        var labels = new[]
        {
            Label(0, "explore north", null, new DaggerSample("explore nort", DaggerJudge.Unparseable, "?"), new DaggerSample("explore nort", DaggerJudge.Unparseable, "?"),
                new DaggerSample("explore north", DaggerJudge.Same, null)),
            Label(1, "goto 1 64 40", null, new DaggerSample("goto 1 64 3", DaggerJudge.Explored, "seen"), new DaggerSample("explore east", DaggerJudge.Differs, null)),
            Label(2, "wait", "the teacher's own answer is infeasible", new DaggerSample("blah", DaggerJudge.Unparseable, "?")),
            Label(3, "wait", null, new DaggerSample("bla", DaggerJudge.Unparseable, "?")) with { Prompt = prompt with { Instruction = "idle" } },
        };
        var pairs = PreferencePairs.Make(1, labels);
        Assert.Equal(["explore nort", "goto 1 64 3"], pairs.Select(p => p.Rejected).ToArray());   // deduplicated; 'same', 'differs', a refused label and a do-nothing decision make none
        Assert.All(pairs, p => Assert.Equal(1, p.Round));
        Assert.Equal(3, PreferencePairs.Make(1, labels, new PairOptions(KeepDiffering: true)).Count);
        Assert.Equal("bla", PreferencePairs.Make(1, labels, new PairOptions(KeepIdle: true)).Last().Rejected);   // a do-nothing decision pairs only when asked
        Assert.True(PreferencePairs.IsIdle(labels[3]));
        Assert.False(PreferencePairs.IsIdle(labels[0]));
        Assert.Equal(1.0 / 13, pairs[0].Distance, 12);   // one character of 13 deleted

        using var folder = new TestFolder();
        var images = new Dictionary<string, byte[]> { ["abc"] = [1, 2, 3], ["unused"] = [9] };
        PreferencePairs.Write(folder.Path, pairs, images);
        var (read, readImages) = PreferencePairs.Read(folder.Path);
        Assert.Equal(pairs.Count, read.Count);
        for (int i = 0; i < pairs.Count; i++) Assert.Equal(pairs[i] with { Prompt = null! }, read[i] with { Prompt = null! });
        Assert.Equal(pairs.Select(p => p.Prompt), read.Select(p => p.Prompt));
        Assert.Equal(["abc"], readImages.Keys);
        Assert.Equal([1, 2, 3], readImages["abc"]);
    }

    [Fact]
    public void The_weights_follow_the_documented_formula_and_can_be_made_uniform()
    {
        // infeasible, distance 0.6, reference per-token margin -1/2 - (-3/3) = 0.5
        double raw = PreferenceWeights.Raw(DaggerJudge.Infeasible, 0.6, -1, 2, -3, 3);
        Assert.Equal(1.0 * (0.5 + 0.3) * (2 / (1 + Math.Exp(0.5))), raw, 12);
        // 'differs' weighs half an infeasible answer; a reference that ranks the pair wrong weighs more than one that ranks it right
        Assert.Equal(0.5, PreferenceWeights.Raw(DaggerJudge.Differs, 0.6, -1, 2, -3, 3) / raw, 12);
        Assert.True(PreferenceWeights.Raw(DaggerJudge.Infeasible, 0.6, -3, 3, -1, 2) > raw);
        Assert.Equal(0.1 * 0.5, PreferenceWeights.Raw(DaggerJudge.Infeasible, 0, 0, 1, -100, 1), 12);   // the confidence's floor
        double[] w = PreferenceWeights.Compute([1, 3], uniform: false);
        Assert.Equal([0.5, 1.5], w);
        Assert.Equal([1.0, 1.0], PreferenceWeights.Compute([1, 3], uniform: true));
    }
}
