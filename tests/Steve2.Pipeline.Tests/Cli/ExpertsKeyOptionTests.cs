using System.CommandLine;
using Steve2.Pipeline.Cli;

namespace Steve2.Pipeline.Tests.Cli;

/// <summary><c>--experts-key</c> on the commands that take <c>--experts</c>.</summary>
public sealed class ExpertsKeyOptionTests
{
    [Fact]
    public void The_key_given_on_the_command_line_is_the_one_used()
    {
        Option<string?> option = ExpertsKeyOption.Create();
        var command = new RootCommand { option };

        Assert.Equal("k-123", ExpertsKeyOption.Resolve(command.Parse(["--experts-key", "k-123"]), option));
    }

    [Theory]
    [InlineData("eval")]
    [InlineData("record")]
    public void Eval_and_record_take_it_beside_experts(string name)
    {
        Command command = name == "eval" ? EvalCommand.Create() : RecordCommand.Create();
        Assert.Contains(command.Options, o => o.Name == "--experts");
        Assert.Contains(command.Options, o => o.Name == "--experts-key");
    }
}
