namespace Steve2.Pipeline.Trajectories;

/// <summary>
/// Reads a recording root (TRAJECTORY_FORMAT.md) lazily: episodes one by one, the steps of each as
/// they are read. Only complete episodes are seen; folders still being written (or left by a crash,
/// <c>*.partial</c>) are skipped and listed by <see cref="PartialEpisodes"/>. Everything read is
/// validated: a damaged file throws <see cref="TrajectoryFormatException"/> naming the file and line.
/// </summary>
public sealed class TrajectoryReader
{
    public TrajectoryReader(string root)
    {
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException(
                $"there are no trajectories at {Path.GetFullPath(root)}: record some with `steve2 record --output {root}`, or give the folder `steve2 record` wrote.");
        }
        Root = root;
    }

    public string Root { get; }

    /// <summary>The complete episodes, ordered by task then folder name; each manifest is read and checked when the episode is reached.</summary>
    public IEnumerable<RecordedEpisode> Episodes()
    {
        foreach (string taskFolder in Sorted(Directory.EnumerateDirectories(Root)))
        {
            foreach (string episodeFolder in Sorted(Directory.EnumerateDirectories(taskFolder)))
            {
                if (episodeFolder.EndsWith(TrajectoryFormat.PartialSuffix, StringComparison.Ordinal)) continue;
                yield return RecordedEpisode.Open(episodeFolder);
            }
        }
    }

    /// <summary>Folders of episodes that were never completed (being written now, or left by an interrupted run).</summary>
    public IReadOnlyList<string> PartialEpisodes() =>
        Sorted(Directory.EnumerateDirectories(Root).SelectMany(Directory.EnumerateDirectories))
            .Where(d => d.EndsWith(TrajectoryFormat.PartialSuffix, StringComparison.Ordinal))
            .ToList();

    private static IEnumerable<string> Sorted(IEnumerable<string> paths) => paths.Order(StringComparer.Ordinal);
}
