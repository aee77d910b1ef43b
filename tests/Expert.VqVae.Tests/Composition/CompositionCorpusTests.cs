using System.Text.RegularExpressions;
using Expert.VqVae.Composition;
using Expert.VqVae.Corpus;
using Expert.VqVae.Materials;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.Tests.Composition;

public class CompositionCorpusTests
{
    private static readonly IReadOnlyList<CorpusRecord> Records =
        CompositionCorpusGenerator.Generate(new CompositionCorpusOptions { Seed = 5, Count = 300 }).ToList();

    [Fact]
    public void TheSameSeedGivesTheSameBytesAndRecordsRoundTripThroughTheFile()
    {
        var again = CompositionCorpusGenerator.Generate(new CompositionCorpusOptions { Seed = 5, Count = 300 }).ToList();
        Assert.Equal(Records.Select(CorpusFile.FormatLine), again.Select(CorpusFile.FormatLine));
        foreach (var r in Records.Take(80))
        {
            var back = CorpusFile.ParseLine(CorpusFile.FormatLine(r), 1);
            Assert.Equal(r, back);
            Assert.Equal(r.Blocks, back.Blocks);
        }
    }

    [Fact]
    public void DescriptionsNameTheirPartsCountsAndMaterialsAndTheV1FamiliesStay()
    {
        var composed = Records.Where(r => r.Family == ComposedSpec.FamilyName).ToList();
        var families = Records.Where(r => r.Family != ComposedSpec.FamilyName).ToList();
        Assert.InRange(families.Count, 40, 120);
        Assert.True(families.Select(r => r.Family).Distinct().Count() >= 8, "the v1 families stay in the corpus");
        foreach (var r in families)
        {
            var m = r.Materials!["walls"];
            Assert.Equal(MaterialGrid.Uniform(r.Grid, Parse(m)), r.Blocks);
            Assert.Matches(Spoken(m), r.Description);
        }

        var phrasings = new HashSet<string>();
        foreach (var r in composed)
        {
            Assert.Equal(r.Grid, r.Blocks!.ToOccupancy());
            string text = r.Description.ToLowerInvariant();
            foreach (var part in r.Parts!)
            {
                Assert.Matches(PartPattern(part), text);
                if (part == "corner_towers") Assert.Matches(@"\b(four|4)\b", text);
                if (part == "columns") Assert.Matches(@"\b(two|2)\b", text);
            }
            foreach (var (slot, block) in r.Materials!) Assert.Matches(Spoken(block), text);
            if (r.FullySpecified)
            {
                ComposedSpec.TryFromParams(r.Params!, out var spec, out _);
                Assert.Equal(spec!.Parts.Select(Names.Of).Order(), r.Parts!.Order());
                Assert.Equal(spec.UsedSlots().Select(Slots.Name).Order(), r.Materials!.Keys.Order());
                Assert.Equal(CompositionCatalog.TrueAttributes(spec), r.Stated);
            }
            phrasings.Add(r.Template!);
        }
        Assert.Equal(ComposedDescriptionWriter.Templates.Count, phrasings.Count);
        Assert.True(composed.Select(r => r.Description).Distinct().Count() == composed.Count, "every description differs");
    }

    [Fact]
    public void The_v2_corpus_file_feeds_todays_occupancy_training()
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "v2-corpus-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, "v2.jsonl");
            CorpusFile.Write(path, Records.Take(40));
            var (train, validation) = Expert.VqVae.Training.TrainingData.Load(new Expert.VqVae.Training.TrainOptions { CorpusPath = path, ValidationCount = 4 });
            Assert.Equal(36, train.Count);
            Assert.Equal(4, validation.Count);
            var byId = Records.ToDictionary(r => r.Id);
            Assert.All(train, e => Assert.Equal(byId[e.Id].Grid, e.Grid));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static BlockMaterial Parse(string name)
    {
        Assert.True(BlockMaterials.TryParse(name, out var m));
        return m;
    }

    /// <summary>How a block name may be written in a description.</summary>
    private static string Spoken(string block) => block switch
    {
        "oak_planks" => "oak|plank",
        "oak_log" => @"\blogs?\b|oak-log",
        "stone" => @"\bstone\b",
        "cobblestone" => "cobble",
        "sandstone" => "sandstone",
        "glass" => "glass",
        _ => throw new ArgumentException(block),
    };

    private static string PartPattern(string part) => part switch
    {
        "door" => "door",
        "gate" => "gate",
        "windows" => "windows",
        "corner_towers" => "corner|turret",
        "battlements" => "battlement|crenel|merlon",
        "chimney" => "chimney",
        "stairs" => "steps|stairs",
        "columns" => "columns|pillars",
        "eaves" => "eaves",
        "dome" => "dome|cupola",
        "wing" => "wing|annex",
        _ => throw new ArgumentException(part),
    };
}
