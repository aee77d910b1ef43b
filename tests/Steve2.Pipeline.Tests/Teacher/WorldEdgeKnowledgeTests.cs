using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Teacher.Knowledge;

namespace Steve2.Pipeline.Tests.Teacher;

/// <summary>Columns beyond an edge of the world the team met count as seen (nothing to see there), on the side learned only.</summary>
public sealed class WorldEdgeKnowledgeTests
{
    [Fact]
    public void A_learned_edge_makes_the_columns_beyond_it_seen_on_that_side_only()
    {
        var knowledge = new TeamKnowledge();
        var feet = new BlockPos(120, 40, 0);
        int[] before = knowledge.UnseenAhead(feet);
        Assert.Equal(108, before[(int)Direction.East]);

        knowledge.LearnEdge('x', 127, sign: 1);
        int[] after = knowledge.UnseenAhead(feet);
        Assert.Equal(0, after[(int)Direction.East]);
        Assert.Equal(before[(int)Direction.West], after[(int)Direction.West]);
        Assert.True(knowledge.SeenNear(130, 0));
        Assert.False(knowledge.SeenNear(100, 0));
        Assert.Equal(0, knowledge.UnviewedAround(new BlockPos(127, 40, 0))[(int)Direction.East]);
    }
}
