using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Tests.Environment;

public sealed class CodeActionSyntaxTests
{
    public static TheoryData<CodeAction> Actions() =>
    [
        new MoveTo(new BlockPos(12, 64, -3)),
        new Explore(Direction.NorthEast, 30),
        new LookAt(-90.5, 15),
        new Mine(new BlockPos(-1, 2, 3)),
        new Collect("oak_log", 4),
        new Craft("stone_pickaxe", 1),
        new Place("cobblestone", new BlockPos(0, 70, 0)),
        new OpenChest(new BlockPos(5, 41, -7)),
        new Wait(),
    ];

    [Theory]
    [MemberData(nameof(Actions))]
    public void Every_action_round_trips(CodeAction action)
    {
        var text = CodeActionSyntax.Format(action);
        Assert.Equal(action.ToCode(), text);
        Assert.True(CodeActionSyntax.TryParse(text, out var parsed, out var error), error);
        Assert.Equal(action, parsed);
    }

    [Theory]
    [InlineData("  MOVE_TO ( 1 ,2, 3 ) ; ", "moveTo(1, 2, 3)")]
    [InlineData("explore(North East, 20)", "explore(northeast, 20)")]
    [InlineData("Explore(sw,5)", "explore(southwest, 5)")]
    [InlineData("collect('oak log')", "collect(\"oak_log\", 1)")]
    [InlineData("craft(minecraft:stick, 2)", "craft(\"stick\", 2)")]
    [InlineData("openchest(1,2,3)", "openChest(1, 2, 3)")]
    [InlineData("lookAt(45, -10)", "lookAt(45, -10)")]
    [InlineData("WAIT()", "wait()")]
    public void Parsing_is_tolerant(string text, string canonical) =>
        Assert.Equal(canonical, CodeActionSyntax.Parse(text).ToCode());

    [Theory]
    [InlineData("", "empty")]
    [InlineData("jump(1)", "unknown action \"jump\"")]
    [InlineData("moveTo(1, 2)", "takes 3 arguments, got 2")]
    [InlineData("moveTo(a, 2, 3)", "\"a\" is not an integer")]
    [InlineData("explore(up, 3)", "not a direction")]
    [InlineData("collect(\"oak_log, 3)", "unclosed quote")]
    [InlineData("wait(3)", "no arguments")]
    [InlineData("moveTo 1 2 3", "not a call")]
    [InlineData("lookAt(x, 1)", "not a number")]
    public void Bad_text_says_what_is_wrong(string text, string expected)
    {
        Assert.False(CodeActionSyntax.TryParse(text, out var action, out var error));
        Assert.Null(action);
        Assert.Contains(expected, error);
        Assert.Throws<FormatException>(() => CodeActionSyntax.Parse(text));
    }
}
