using Expert.DynamicMap.Episodes;
using Expert.DynamicMap.Landmarks;
using Expert.DynamicMap.Observations;
using static Expert.DynamicMap.Tests.Build;

namespace Expert.DynamicMap.Tests;

public class LandmarkTests
{
    private static Observation Sees(string agent, long tick, params EntitySeen[] entities) =>
        new(agent, tick, At(0.5, 64, 0.5), entities: entities);

    [Fact]
    public void Same_kind_nearby_detections_are_one_landmark_at_the_latest_position()
    {
        using var episode = Episode.CreateInMemory("cows");
        episode.Apply(Batch(Sees("a", 10, new EntitySeen("cow", 10, 64, 10, 0.5f))));
        episode.Apply(Batch(Sees("b", 20, new EntitySeen("minecraft:Cow", 11.5, 64, 10.5, 0.5f))));
        episode.Apply(Batch(Sees("a", 15, new EntitySeen("cow", 9, 64, 9, 0.5f)))); // late: counts, does not move it

        var cow = Assert.Single(episode.Landmarks);
        Assert.Equal("cow", cow.Kind);
        Assert.Equal(3, cow.Sightings);
        Assert.Equal(11.5, cow.Position.X);
        Assert.Equal(20, cow.LastTick);
        Assert.Equal(10, cow.FirstTick);
        Assert.Equal("b", cow.LastAgentId);
        Assert.Equal(1 - 0.5 * 0.5 * 0.5, cow.DetectionConfidence, 6);
    }

    [Fact]
    public void Different_kinds_or_far_apart_detections_stay_apart()
    {
        using var episode = Episode.CreateInMemory("zoo");
        episode.Apply(Batch(Sees("a", 1,
            new EntitySeen("cow", 0, 64, 0),
            new EntitySeen("pig", 1, 64, 0),
            new EntitySeen("cow", 30, 64, 0))));
        Assert.Equal(3, episode.Landmarks.Count);
        Assert.Equal(2, episode.Landmarks.Count(l => l.Kind == "cow"));
    }

    [Fact]
    public void Confidence_decays_with_time_since_last_sighting()
    {
        var landmark = new Landmark(1, "chest", null, new(0, 0, 0), 0, 100, 1, 0.8, "a");
        Assert.Equal(0.8, landmark.ConfidenceAt(100, 600), 6);
        Assert.Equal(0.4, landmark.ConfidenceAt(700, 600), 6);
    }

    [Fact]
    public void A_named_landmark_is_found_by_its_name_and_by_its_kind()
    {
        using var episode = Episode.CreateInMemory("names");
        episode.Apply(Batch(Sees("a", 5, new EntitySeen("bell", 20, 64, 0), new EntitySeen("chest", -4, 64, 3))));
        long bellId = episode.Landmarks.Single(l => l.Kind == "bell").Id;
        var named = episode.NameLandmark(bellId, "Village bell");
        Assert.Equal("Village bell", named.DisplayName);

        var byLabel = episode.LocateTargets("village", agentId: "a");
        var match = Assert.Single(byLabel.Matches);
        Assert.Equal(TargetKind.Landmark, match.Kind);
        Assert.Equal(bellId, match.Id);
        Assert.Equal(19.5, match.Distance!.Value, 1);
        Assert.Equal("E", match.Direction);

        Assert.Single(episode.LocateTargets("chest").Matches);
        Assert.Throws<MapNotFoundException>(() => episode.NameLandmark(999, "x"));
        Assert.Throws<MapValidationException>(() => episode.NameLandmark(bellId, " "));
    }
}
