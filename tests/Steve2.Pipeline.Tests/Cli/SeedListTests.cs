using Steve2.Pipeline.Cli;
using Steve2.Pipeline.Evaluation;

namespace Steve2.Pipeline.Tests.Cli;

/// <summary>How seeds and agents are read from the command line.</summary>
public sealed class SeedListTests
{
    [Theory]
    [InlineData("0-4", new[] { 0, 1, 2, 3, 4 })]
    [InlineData("0,3,7", new[] { 0, 3, 7 })]
    [InlineData("7", new[] { 7 })]
    [InlineData("0-2, 10 ,12-13", new[] { 0, 1, 2, 10, 12, 13 })]
    [InlineData("3,1-3", new[] { 3, 1, 2 })]
    [InlineData("1000000-1000002", new[] { 1_000_000, 1_000_001, 1_000_002 })]
    public void Ranges_and_lists_are_read_in_order_without_repeats(string text, int[] expected) =>
        Assert.Equal(expected, SeedList.Parse(text));

    [Theory]
    [InlineData("-1")]
    [InlineData("1-")]
    [InlineData("a-3")]
    [InlineData("1,,2")]
    [InlineData("0-100000")]
    public void Malformed_or_huge_lists_are_refused(string text) =>
        Assert.StartsWith($"--seeds '{text}'", Assert.Throws<ArgumentException>(() => SeedList.Parse(text)).Message);

    [Fact]
    public void The_teacher_needs_the_experts_and_the_ablation_never_gets_them()
    {
        Assert.True(AgentCatalog.NeedsExperts(AgentCatalog.Teacher));
        Assert.False(AgentCatalog.NeedsExperts(AgentCatalog.TeacherNoExpert));
        Assert.Equal("teacher-no-expert", AgentCatalog.Create(AgentCatalog.TeacherNoExpert, experts: null).Create().Name);
        Assert.Throws<InvalidOperationException>(() => AgentCatalog.Create(AgentCatalog.Teacher, experts: null).Create());
        Assert.Equal(["teacher", "teacher-no-expert"], TaskSelection.Agents("teacher, teacher-no-expert,teacher"));
    }
}
