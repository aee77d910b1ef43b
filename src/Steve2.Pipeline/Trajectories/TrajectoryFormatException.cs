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
        string episode = Path.GetDirectoryName(file) is { } d && Path.GetFileName(d) is TrajectoryFormat.ExpertFolder or TrajectoryFormat.ImagesFolder
            ? Path.GetDirectoryName(d)!
            : Path.GetDirectoryName(file) ?? file;
        return $"corrupt trajectory {where}: {problem}. Delete the episode folder {episode} and record it again " +
               "(`steve2 record` skips the episodes that are complete and records the missing ones).";
    }
}
