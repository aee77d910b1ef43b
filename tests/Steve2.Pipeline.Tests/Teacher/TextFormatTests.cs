using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Teacher.Roles;

namespace Steve2.Pipeline.Tests.Teacher;

public sealed class TextFormatTests
{
    [Theory]
    [InlineData("explore north-east", SubTaskKind.Explore)]
    [InlineData("search pig west", SubTaskKind.Search)]
    [InlineData("search pig", SubTaskKind.Search)]
    [InlineData("find diamond_ore s", SubTaskKind.Find)]
    [InlineData("collect oak_log 3", SubTaskKind.Collect)]
    [InlineData("build", SubTaskKind.Build)]
    [InlineData("idle.", SubTaskKind.Idle)]
    public void Sub_tasks_parse_and_print_back(string text, SubTaskKind kind)
    {
        Assert.True(SubTask.TryParse(text, out SubTask? parsed, out string error), error);
        Assert.Equal(kind, parsed!.Kind);
        Assert.True(SubTask.TryParse(parsed.ToText(), out SubTask? again, out _));
        Assert.Equal(parsed, again);
    }

    [Theory]
    [InlineData("")]
    [InlineData("collect oak_log -3")]
    [InlineData("explore up")]
    [InlineData("dance")]
    public void Bad_sub_tasks_say_what_is_expected(string text)
    {
        Assert.False(SubTask.TryParse(text, out _, out string error));
        Assert.NotEmpty(error);
    }

    [Theory]
    [InlineData("goto 3 64 -2", DirectiveKind.GoTo)]
    [InlineData("approach (3, 64, -2)", DirectiveKind.Approach)]
    [InlineData("place oak_planks 1 2 3", DirectiveKind.Place)]
    [InlineData("mine 1 2 3", DirectiveKind.Mine)]
    [InlineData("look 1 2 3", DirectiveKind.Look)]
    [InlineData("gather oak_log 4", DirectiveKind.Gather)]
    [InlineData("craft stick 1", DirectiveKind.Craft)]
    [InlineData("explore sw", DirectiveKind.Explore)]
    [InlineData("wait", DirectiveKind.Wait)]
    public void Directives_parse_and_print_back(string text, DirectiveKind kind)
    {
        Assert.True(Directive.TryParse(text, out Directive? parsed, out string error), error);
        Assert.Equal(kind, parsed!.Kind);
        Assert.True(Directive.TryParse(parsed.ToText(), out Directive? again, out _));
        Assert.Equal(parsed, again);
    }

    [Fact]
    public void Bad_directives_are_refused_with_the_format()
    {
        Assert.False(Directive.TryParse("goto 1 2", out _, out string error));
        Assert.Contains("goto X Y Z", error);
        Assert.False(Directive.TryParse("place 1 2 3", out _, out _));
    }

    [Fact]
    public void A_manager_plan_needs_one_valid_line_per_agent()
    {
        var (plan, error) = Manager.Parse("agent 0: explore north\nAgent 1 - collect dirt 2", 2);
        Assert.Null(error);
        Assert.Equal(SubTaskKind.Collect, plan![1].Kind);
        Assert.Contains("agent(s) 1", Manager.Parse("agent 0: build", 2).Error);
        Assert.Contains("no agent 5", Manager.Parse("agent 0: build\nagent 5: build", 2).Error);
        Assert.NotNull(Manager.Parse("agent 0: fly", 1).Error);
    }

    [Fact]
    public void Compass_helpers_agree_with_the_world_frame()
    {
        Assert.Equal(Direction.North, DirectionNames.Toward(0, -5));
        Assert.Equal(Direction.East, DirectionNames.Toward(5, 0));
        Assert.Equal(Direction.SouthWest, DirectionNames.Toward(-3, 3));
        Assert.Equal(Direction.NorthWest, DirectionNames.Turn(Direction.North, -1));
        Assert.Equal("south", Steve2.Pipeline.Teacher.Describer.Facing(0));
        Assert.Equal("west", Steve2.Pipeline.Teacher.Describer.Facing(90));
    }
}
