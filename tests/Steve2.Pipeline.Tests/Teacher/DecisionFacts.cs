using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Teacher.Decisions;

namespace Steve2.Pipeline.Tests.Teacher;

/// <summary>Hand-made facts for tests of the rules: an agent that knows nothing but what is passed.</summary>
internal static class DecisionFacts
{
    private static readonly IReadOnlyDictionary<string, int> None = new Dictionary<string, int>();

    public static ConductorFacts Conductor(BlockPos feet, IReadOnlyDictionary<string, int>? inventory = null, BuildWindow? build = null,
        IReadOnlyList<BlockPos>? unreachable = null, IReadOnlyList<int>? unseen = null) =>
        new(feet, 0, 0, inventory ?? None, inventory ?? None, null, null, [], [], unseen ?? new int[8], unreachable ?? [], null, null, null, [], build);
}
