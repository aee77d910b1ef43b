namespace Steve2.Pipeline.Trajectories;

/// <summary>A recorded trajectory file that is not in the documented format: the message names the file and line and says what to do.</summary>
public sealed class TrajectoryFormatException : Exception
{
    public TrajectoryFormatException(string file, int? line, string problem, Exception? inner = null)
        : base(Describe(file, line, problem), inner)
    {
        File = file;
        Line = line;
    }

    public string File { get; }

    /// <summary>1-based line of a JSON-lines file, or null for whole-file problems.</summary>
    public int? Line { get; }

    private static string Describe(string file, int? line, string problem)
    {
        string where = line is { } l ? $"{file}:{l}" : file;
        // The episode folder: the file's folder, above images/, expert/ and expert/images/.
        string episode = Path.GetDirectoryName(file) ?? file;
        while (Path.GetFileName(episode) is TrajectoryFormat.ExpertFolder or TrajectoryFormat.ImagesFolder && Path.GetDirectoryName(episode) is { } parent)
            episode = parent;
        return $"corrupt trajectory {where}: {problem}. Delete the episode folder {episode} and record it again " +
               "(`steve2 record` skips the episodes that are complete and records the missing ones).";
    }
}
