using System.Text.RegularExpressions;
using Expert.VqVae.Materials;

namespace Expert.VqVae.Composition;

/// <summary>The parts and the materials per part slot a text names.</summary>
public sealed record ParsedComposition(IReadOnlySet<PartKind> Parts, IReadOnlyDictionary<MaterialSlot, BlockMaterial> Materials);

/// <summary>
/// Reads the parts (with their counts, "four corner towers") and the blocks per part ("stone walls",
/// "a roof of oak boards", "corner towers of logs", "made of sandstone") from a description, in the
/// phrasings <see cref="ComposedDescriptionWriter"/> uses (and a user's prompt in the same words). Phrases
/// are read and taken out in a fixed order, so "a gate between two pillars" is a gate and not columns,
/// and "a domed roof" a dome and not a roof. Tested: it reads back exactly what every generated text names.
/// </summary>
public static partial class ComposedDescriptionParser
{
    private const string M = @"(?:oak-plank|oak planks?|planked|planks|oak boards|oak-log|oak logs|logs?|smooth stone|stone|cobblestone|cobbled|cobbles|sandstone|glass)";
    private const string Noun = @"(?:domed hall|building|house|hall|structure|manor|castle|fort|cottage|cabin)";
    private const string Roof = @"(?:four-sided pointed |flat |pitched |gabled |sloped |peaked |gable |pyramidal |pyramid |pointed )?(?:roof|rooftop|top)";

    public static ParsedComposition Parse(string description)
    {
        ArgumentNullException.ThrowIfNull(description);
        string text = " " + description.ToLowerInvariant() + " ";
        var parts = new HashSet<PartKind>();
        var materials = new Dictionary<MaterialSlot, BlockMaterial>();

        Take(@"\b(?:wide |main )?gate(?:way)?(?: between two pillars| flanked by pillars)?\b", _ => parts.Add(PartKind.Gate));
        Take($@"\b(?:({M}) )?(?:round dome|domed roof|dome|cupola)(?: of ({M}))?\b", g => { parts.Add(PartKind.Dome); Material(MaterialSlot.Roof, g); });
        Take($@"\b(?:four|4) (?:({M}) )?(?:corner towers|towers at the corners|corner turrets)(?: of ({M}))?", g => { parts.Add(PartKind.CornerTowers); Material(MaterialSlot.Towers, g); });
        Take($@"\b(?:({M}) )?chimney(?: of ({M}))?", g => { parts.Add(PartKind.Chimney); Material(MaterialSlot.Chimney, g); });
        Take($@"\b(?:two|2) (?:({M}) )?steps(?: of ({M}))? up to the entrance", g => { parts.Add(PartKind.Stairs); Material(MaterialSlot.Stairs, g); });
        Take($@"\b(?:({M}) )?front steps(?: of ({M}))?", g => { parts.Add(PartKind.Stairs); Material(MaterialSlot.Stairs, g); });
        Take($@"\b(?:({M}) )?short flight of stairs(?: of ({M}))?", g => { parts.Add(PartKind.Stairs); Material(MaterialSlot.Stairs, g); });
        Take($@"\b(?:({M}) )?stairs(?: of ({M}))? at the entrance", g => { parts.Add(PartKind.Stairs); Material(MaterialSlot.Stairs, g); });
        Take($@"\b(?:({M}) )?(?:columns|pillars)(?: of ({M}))?", g => { parts.Add(PartKind.Columns); Material(MaterialSlot.Columns, g); });
        Take(@"\b(?:battlements|crenellations|crenellated parapet|merlons)\b", _ => parts.Add(PartKind.Battlements));
        Take(@"\beaves\b", _ => parts.Add(PartKind.Eaves));
        Take(@"\b(?:side wing|wing on the right|annex)\b", _ => parts.Add(PartKind.Wing));
        Take(@"\bdoor(?:way)?\b", _ => parts.Add(PartKind.Door));
        Take(@"\bwindows(?: of glass)?\b", _ => parts.Add(PartKind.Windows));
        Take($@"\b(?:({M}) )?{Roof}(?: of ({M}))?\b", g => Material(MaterialSlot.Roof, g));
        Take($@"\b(towers|chimney|columns|stairs|walls) of ({M})", g =>
        {
            var slot = g[1].Value switch { "towers" => MaterialSlot.Towers, "chimney" => MaterialSlot.Chimney, "columns" => MaterialSlot.Columns, "stairs" => MaterialSlot.Stairs, _ => MaterialSlot.Walls };
            materials[slot] = Block(g[2].Value);
        });
        Take($@"\b(?:made of|built from) ({M})", g => materials[MaterialSlot.Walls] = Block(g[1].Value));
        Take($@"\b({M}) {Noun}\b", g => materials[MaterialSlot.Walls] = Block(g[1].Value));
        Take($@" in ({M})[ .]*$", g => materials[MaterialSlot.Walls] = Block(g[1].Value));
        return new ParsedComposition(parts, materials);

        void Take(string pattern, Action<GroupCollection> found)
        {
            text = Regex.Replace(text, pattern, m => { found(m.Groups); return " ; "; });
        }

        void Material(MaterialSlot slot, GroupCollection g)
        {
            string word = g[1].Success ? g[1].Value : g[2].Success ? g[2].Value : "";
            if (word.Length > 0) materials[slot] = Block(word);
        }
    }

    /// <summary>The block a material word names ("oak boards" is oak_planks, "cobbles" cobblestone).</summary>
    public static BlockMaterial Block(string word) => word switch
    {
        "oak-plank" or "oak plank" or "oak planks" or "planked" or "planks" or "oak boards" => BlockMaterial.OakPlanks,
        "oak-log" or "oak logs" or "logs" or "log" => BlockMaterial.OakLog,
        "stone" or "smooth stone" => BlockMaterial.Stone,
        "cobblestone" or "cobbled" or "cobbles" => BlockMaterial.Cobblestone,
        "sandstone" => BlockMaterial.Sandstone,
        "glass" => BlockMaterial.Glass,
        _ => throw new ArgumentException($"'{word}' is not a material word.", nameof(word)),
    };
}
