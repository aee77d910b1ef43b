using System.Globalization;
using System.Text.RegularExpressions;
using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Teacher.Roles;

/// <summary>The kinds of part the manager gives an agent.</summary>
public enum SubTaskKind { Explore, Search, Find, Collect, Build, Idle }

/// <summary>
/// A manager's part for one agent, one line of text (TEACHER.md): <c>explore north</c>, <c>search pig</c>,
/// <c>find diamond_ore</c>, <c>collect oak_log 3</c>, <c>build</c>, <c>idle</c>.
/// </summary>
public sealed partial record SubTask(SubTaskKind Kind, string Argument = "", int Count = 0, Direction Direction = Direction.North)
{
    public string ToText() => Kind switch
    {
        SubTaskKind.Explore => $"explore {DirectionNames.Name(Direction)}",
        SubTaskKind.Search => $"search {Argument} {DirectionNames.Name(Direction)}",
        SubTaskKind.Find => $"find {Argument} {DirectionNames.Name(Direction)}",
        SubTaskKind.Collect => $"collect {Argument} {Count}",
        SubTaskKind.Build => "build",
        _ => "idle",
    };

    public override string ToString() => ToText();

    /// <summary>Parses one sub-task line; on failure <paramref name="error"/> says what was expected.</summary>
    public static bool TryParse(string text, out SubTask? subTask, out string error)
    {
        subTask = null;
        error = "";
        string[] words = text.Trim().Trim('.', '`').Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) { error = "empty sub-task"; return false; }
        string kind = words[0].ToLowerInvariant();
        Direction dir = Direction.North;
        bool DirAt(int i) => words.Length <= i || DirectionNames.TryParse(words[i], out dir);
        switch (kind)
        {
            case "explore" when words.Length == 2 && DirectionNames.TryParse(words[1], out dir):
                subTask = new SubTask(SubTaskKind.Explore, Direction: dir);
                return true;
            case "search" when words.Length is 2 or 3 && ItemName().IsMatch(words[1]) && DirAt(2):
                subTask = new SubTask(SubTaskKind.Search, words[1].ToLowerInvariant(), Direction: dir);
                return true;
            case "find" when words.Length is 2 or 3 && ItemName().IsMatch(words[1]) && DirAt(2):
                subTask = new SubTask(SubTaskKind.Find, words[1].ToLowerInvariant(), Direction: dir);
                return true;
            case "collect" when words.Length == 3 && ItemName().IsMatch(words[1]) && int.TryParse(words[2], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0:
                subTask = new SubTask(SubTaskKind.Collect, words[1].ToLowerInvariant(), n);
                return true;
            case "build" when words.Length == 1:
                subTask = new SubTask(SubTaskKind.Build);
                return true;
            case "idle" when words.Length == 1:
                subTask = new SubTask(SubTaskKind.Idle);
                return true;
        }
        error = $"'{text.Trim()}' is not a sub-task; use one of: explore <direction> | search <animal> [<direction>] | find <block> [<direction>] | collect <item> <count> | build | idle";
        return false;
    }

    [GeneratedRegex("^[a-z_]+$", RegexOptions.IgnoreCase)]
    private static partial Regex ItemName();
}
