using Steve2.Pipeline.Evaluation;

namespace Steve2.Pipeline.Tests.Evaluation;

/// <summary>--shard K/N: every item of the ordered work list in exactly one shard, dealt round-robin; bad text refused.</summary>
public sealed class ShardTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 1)]
    [InlineData(7, 3)]
    [InlineData(3, 7)]
    [InlineData(100, 8)]
    [InlineData(0, 4)]
    public void Every_item_is_in_exactly_one_shard_and_keeps_its_order(int items, int count)
    {
        List<int> work = Enumerable.Range(0, items).ToList();

        List<IReadOnlyList<int>> shards = Enumerable.Range(0, count).Select(k => new Shard(k, count).Select(work)).ToList();

        Assert.Equal(work, shards.SelectMany(s => s).Order());
        for (int k = 0; k < count; k++)
        {
            Assert.Equal(shards[k].Order(), shards[k]);                                   // the list's order within a shard
            Assert.All(shards[k], i => Assert.Equal(k, Shard.Of(i, count)));              // Of agrees with Select
            Assert.InRange(shards[k].Count, items / count, items / count + 1);            // round-robin: sizes differ by one at most
        }
    }

    [Fact]
    public void Episodes_are_dealt_round_robin_over_the_plan_so_tasks_and_agents_spread()
    {
        // The plan: task by task, seed by seed, agent by agent.
        var jobs = new List<EpisodeJob>();
        foreach (string task in new[] { "a", "b" })
            foreach (int seed in new[] { 0, 1, 2 })
                foreach (string agent in new[] { "x", "y", "z" })
                    jobs.Add(new EpisodeJob(agent, task, seed));

        IReadOnlyList<EpisodeJob> first = new Shard(0, 4).Select(jobs);

        Assert.Equal(["x on a seed 0", "y on a seed 1", "z on a seed 2", "x on b seed 1", "y on b seed 2"], first.Select(j => j.ToString()));
    }

    [Theory]
    [InlineData("0/1", 0, 1)]
    [InlineData("3/8", 3, 8)]
    [InlineData(" 7 / 8 ", 7, 8)]
    public void Parses_K_of_N_from_zero(string text, int index, int count) =>
        Assert.Equal(new Shard(index, count), Shard.Parse(text));

    [Theory]
    [InlineData("8/8", "below the count")]
    [InlineData("1/0", "count must be")]
    [InlineData("-1/4", "write it as K/N")]
    [InlineData("2", "write it as K/N")]
    [InlineData("1/2/3", "write it as K/N")]
    [InlineData("a/4", "write it as K/N")]
    public void Refuses_what_is_not_a_shard(string text, string reason) =>
        Assert.Contains(reason, Assert.Throws<ArgumentException>(() => Shard.Parse(text)).Message);
}
