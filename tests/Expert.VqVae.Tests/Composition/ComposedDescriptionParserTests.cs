using Expert.VqVae.Composition;
using Expert.VqVae.Corpus;
using Expert.VqVae.Materials;

namespace Expert.VqVae.Tests.Composition;

public class ComposedDescriptionParserTests
{
    [Fact]
    public void Every_generated_text_reads_back_as_exactly_the_parts_and_materials_it_names()
    {
        foreach (var split in new[] { CorpusSplit.Train, CorpusSplit.Test })
            foreach (var r in CompositionCorpusGenerator.Generate(new CompositionCorpusOptions { Seed = 17, Count = 250, Split = split }))
            {
                var parsed = ComposedDescriptionParser.Parse(r.Description);
                var materials = parsed.Materials.ToDictionary(kv => Slots.Name(kv.Key), kv => BlockMaterials.Name(kv.Value));
                if (r.Family == ComposedSpec.FamilyName)
                {
                    Assert.True(r.Parts!.Order().SequenceEqual(parsed.Parts.Select(Names.Of).Order()),
                        $"{r.Description}\n  named {string.Join(",", r.Parts!)}; read {string.Join(",", parsed.Parts.Select(Names.Of))}");
                    Assert.True(r.Materials!.OrderBy(kv => kv.Key).SequenceEqual(materials.OrderBy(kv => kv.Key)),
                        $"{r.Description}\n  named {string.Join(",", r.Materials!)}; read {string.Join(",", materials)}");
                }
                else Assert.Equal(r.Materials!["walls"], materials.GetValueOrDefault("walls"));
            }
    }

    [Fact]
    public void A_users_prompt_reads_as_a_user_means_it()
    {
        var p = ComposedDescriptionParser.Parse("A stone castle with four corner towers of oak logs, a gate between two pillars and a glass dome");
        Assert.Equal(new[] { PartKind.Gate, PartKind.CornerTowers, PartKind.Dome }.Order(), p.Parts.Order());
        Assert.Equal(BlockMaterial.Stone, p.Materials[MaterialSlot.Walls]);
        Assert.Equal(BlockMaterial.OakLog, p.Materials[MaterialSlot.Towers]);
        Assert.Equal(BlockMaterial.Glass, p.Materials[MaterialSlot.Roof]);
        Assert.DoesNotContain(PartKind.Columns, p.Parts); // the gate's pillars are the gate's

        var cottage = ComposedDescriptionParser.Parse("a small cottage with a cobblestone chimney and a roof of oak planks");
        Assert.Equal([PartKind.Chimney], cottage.Parts);
        Assert.Equal(BlockMaterial.Cobblestone, cottage.Materials[MaterialSlot.Chimney]);
        Assert.Equal(BlockMaterial.OakPlanks, cottage.Materials[MaterialSlot.Roof]);
        Assert.False(cottage.Materials.ContainsKey(MaterialSlot.Walls));
    }
}
