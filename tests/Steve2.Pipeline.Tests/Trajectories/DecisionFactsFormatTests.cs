using System.Text.Json;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Experts;
using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Teacher.Planning;
using Steve2.Pipeline.Trajectories;

namespace Steve2.Pipeline.Tests.Trajectories;

/// <summary>The facts a decision was a function of survive the trajectory format exactly (steps.jsonl and expert/context.jsonl).</summary>
public sealed class DecisionFactsFormatTests
{
    public static TheoryData<RoleFacts> Facts =>
    [
        new ManagerFacts("collection", 2, null, null, new Dictionary<string, int> { ["oak_log"] = 3 }, new Dictionary<string, int> { ["dirt"] = 1 }),
        new ConductorFacts(new BlockPos(-3, 40, 7), 91.25, -12.5, new Dictionary<string, int> { ["oak_planks"] = 4 }, new Dictionary<string, int>(), null,
            "goto 1 2 3", [new BlockPos(9, 40, 9)], [Direction.NorthWest, Direction.South], [1, 2, 3, 4, 5, 6, 7, 42], [new BlockPos(0, 41, 0)],
            new BlockPos(5, 40, 5), new SoundFact(null, Direction.East), new BlockPos(2, 20, 2), ["oak_log"],
            new BuildWindow([new PlanStep(4, new BlockPos(1, 2, 3), PlannedBlockAction.Scaffold)], [7], 10, 12)),
        new ActorFacts(new Pose(new Vec3(0.1 + 0.2, 64, -1.0 / 3), 359.9, 89.99999999), 4.5, new Dictionary<string, int>(), null),
    ];

    [Theory]
    [MemberData(nameof(Facts))]
    public void Role_facts_round_trip_with_their_role_and_exact_numbers(RoleFacts facts)
    {
        string json = JsonSerializer.Serialize(facts, TrajectoryFormat.Json);
        RoleFacts back = JsonSerializer.Deserialize<RoleFacts>(json, TrajectoryFormat.Json)!;

        Assert.Equal(facts.GetType(), back.GetType());
        Assert.Equal(json, JsonSerializer.Serialize(back, TrajectoryFormat.Json));
        Assert.DoesNotContain("above", json);  // positions are bare coordinates, not their derived properties
        if (facts is ActorFacts actor) Assert.Equal(actor.Pose, ((ActorFacts)back).Pose);
    }

    [Fact]
    public void Expert_facts_round_trip()
    {
        var facts = new ExpertFacts([new FrontierFact(new BlockPos(1, 2, 3), 0.75)], [new SetAsideFact(new BlockPos(4, 5, 6), 12)],
            [new LocatedFact(new BlockPos(7, 8, 9), null), new LocatedFact(null, Direction.SouthWest)], null);
        string json = JsonSerializer.Serialize(facts, TrajectoryFormat.Json);

        Assert.Contains("\"bearing\":\"south_west\"", json);
        Assert.Equal(json, JsonSerializer.Serialize(JsonSerializer.Deserialize<ExpertFacts>(json, TrajectoryFormat.Json), TrajectoryFormat.Json));
    }
}
