using System.Globalization;
using System.Text.RegularExpressions;
using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Teacher.Roles;

/// <summary>The kinds of part the manager gives an agent.</summary>
public enum SubTaskKind { Explore, Search, Find, Collect, Build, Idle }

/// <summary>
/// A manager's part for one agent, one line of text (TEACHER.md): <c>explore north</c>, <c>search pig</c>,
/// <c>find diamond_ore</c>, <c>collect oak_log 3</c> (or several items: <c>collect furnace 1 chest 2</c>),
/// <c>build</c>, <c>idle</c>.
/// </summary>
public sealed partial record SubTask(SubTaskKind Kind, string Argument = "", int Count = 0, Direction Direction = Direction.North)
{
    /// <summary>Collect: the items after the first (<see cref="Argument"/>, <see cref="Count"/>), in order.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> MoreItems { get; init; } = [];

    /// <summary>Collect: every item of the part with its count, in order; empty for other kinds.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> Items =>
        Kind == SubTaskKind.Collect ? [new KeyValuePair<string, int>(Argument, Count), .. MoreItems] : [];

    /// <summary>A collect part for the given items (at least one).</summary>
    public static SubTask Collect(IReadOnlyList<KeyValuePair<string, int>> items) =>
        new(SubTaskKind.Collect, items[0].Key, items[0].Value) { MoreItems = items.Skip(1).ToArray() };

    public bool Equals(SubTask? other) =>
        other is not null && Kind == other.Kind && Argument == other.Argument && Count == other.Count && Direction == other.Direction
        && MoreItems.SequenceEqual(other.MoreItems);

    public override int GetHashCode() => HashCode.Combine(Kind, Argument, Count, Direction, MoreItems.Count);

    public string ToText() => Kind switch
    {
        SubTaskKind.Explore => $"explore {DirectionNames.Name(Direction)}",
        SubTaskKind.Search => $"search {Argument} {DirectionNames.Name(Direction)}",
        SubTaskKind.Find => $"find {Argument} {DirectionNames.Name(Direction)}",
        SubTaskKind.Collect => "collect " + string.Join(" ", Items.Select(i => $"{i.Key} {i.Value}")),
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
            case "collect" when words.Length >= 3 && words.Length % 2 == 1:
                var items = new List<KeyValuePair<string, int>>();
                for (int i = 1; i + 1 < words.Length; i += 2)
                {
                    string item = words[i].Trim(',').ToLowerInvariant();
                    if (!ItemName().IsMatch(item) || !int.TryParse(words[i + 1].Trim(','), NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n <= 0
                        || items.Any(x => x.Key == item)) break;
                    items.Add(new KeyValuePair<string, int>(item, n));
                }
                if (items.Count != (words.Length - 1) / 2) break;
                subTask = Collect(items);
                return true;
            case "build" when words.Length == 1:
                subTask = new SubTask(SubTaskKind.Build);
                return true;
            case "idle" when words.Length == 1:
                subTask = new SubTask(SubTaskKind.Idle);
                return true;
        }
        error = $"'{text.Trim()}' is not a sub-task; use one of: explore <direction> | search <animal> [<direction>] | find <block> [<direction>] | collect <item> <count> [<item> <count> ...] | build | idle";
        return false;
    }

    [GeneratedRegex("^[a-z_]+$", RegexOptions.IgnoreCase)]
    private static partial Regex ItemName();
}
