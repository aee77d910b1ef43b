using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Tests.Teacher;

/// <summary>
/// A tiny hand-made world for unit tests of the tasks and the teacher: flat grass at y = 9 (agents stand
/// at y = 10) over x, z in [-64, 63], a few placed blocks and animals. Actions follow the world's rules in
/// simplified form: moves teleport within the movement limit, placing needs the item, reach (4.5) and a
/// solid neighbour, mining gives the block's item, collecting gives the item outright, every observation
/// sees the blocks within 8 and the animals within 16, hears every animal within 64 (with its position
/// within 16, else its direction) and reveals the columns within 12.
/// </summary>
internal sealed class FakeEnvironment : IEnvironment
{
    public const int Ground = 9;
    private readonly List<Pose> _poses = [];
    private readonly List<Dictionary<string, int>> _inventories = [];
    private readonly List<int> _iterations = [];

    public FakeEnvironment(int agents = 1, IReadOnlyDictionary<string, int>? inventory = null, IReadOnlyList<SeenEntity>? animals = null)
    {
        Spec = new EpisodeSpec(1, agents, StartingInventory: inventory);
        FakeWorld = new FakeWorld(animals ?? []);
        for (int a = 0; a < agents; a++)
        {
            _poses.Add(new Pose(new Vec3(a * 2 + 0.5, Ground + 1, 0.5), 0, 0));
            _inventories.Add(inventory?.ToDictionary() ?? []);
            _iterations.Add(0);
            Reveal(a);
        }
    }

    public EpisodeSpec Spec { get; }
    public int AgentCount => _poses.Count;
    public FakeWorld FakeWorld { get; }
    public IWorldQuery World => FakeWorld;
    public List<CodeAction> Actions { get; } = [];

    public void Dispose() { }

    public Observation Observe(int agentId)
    {
        Pose pose = _poses[agentId];
        BlockPos feet = pose.Block;
        var blocks = new List<SeenBlock>();
        for (int x = feet.X - 8; x <= feet.X + 8; x++)
            for (int z = feet.Z - 8; z <= feet.Z + 8; z++)
                for (int y = Ground; y <= Ground + 8; y++)
                {
                    var p = new BlockPos(x, y, z);
                    Block b = FakeWorld.GetBlock(p);
                    if (b != Block.Air && (y > Ground || FakeWorld.GetBlock(p.Above) == Block.Air)) blocks.Add(new SeenBlock(p, b));
                }
        blocks.Sort((a, b) => a.Position.DistanceSquared(feet).CompareTo(b.Position.DistanceSquared(feet)));
        var entities = FakeWorld.Entities.Where(e => e.Position.DistanceTo(pose.Position) <= 16).ToArray();
        var sounds = FakeWorld.Entities.Where(e => e.Position.DistanceTo(pose.Position) <= 64).Select(e =>
        {
            double d = e.Position.DistanceTo(pose.Position);
            var direction = new Vec3((e.Position.X - pose.Position.X) / d, (e.Position.Y - pose.Position.Y) / d, (e.Position.Z - pose.Position.Z) / d);
            return new HeardSound(e.Kind, d <= 16 ? e.Position : null, direction, 1 - d / 64);
        }).ToArray();
        return new Observation(agentId, _iterations[agentId], pose, new RgbImage(4, 4, new byte[48]), blocks, entities, sounds,
            _inventories[agentId].Where(i => i.Value > 0).ToDictionary());
    }

    public ActionOutcome Step(int agentId, CodeAction action)
    {
        Actions.Add(action);
        _iterations[agentId]++;
        var (ok, message, moved, gained) = Apply(agentId, action);
        Reveal(agentId);
        return new ActionOutcome(ok, message, moved, gained, Observe(agentId));
    }

    private (bool, string, int, Dictionary<string, int>) Apply(int a, CodeAction action)
    {
        Pose pose = _poses[a];
        BlockPos feet = pose.Block;
        var none = new Dictionary<string, int>();
        switch (action)
        {
            case MoveTo m:
                int d = Math.Abs(m.Target.X - feet.X) + Math.Abs(m.Target.Z - feet.Z);
                if (d > CodeAction.MaxMoveBlocks) return (false, "too far", 0, none);
                if (FakeWorld.GetBlock(new BlockPos(m.Target.X, Ground + 1, m.Target.Z)) != Block.Air) return (false, "no place to stand", 0, none);
                _poses[a] = pose with { Position = new Vec3(m.Target.X + 0.5, Ground + 1, m.Target.Z + 0.5) };
                return (true, "arrived", d, none);
            case Explore e:
                var (sx, sz) = e.Direction.Step();
                int along = sx != 0 && sz != 0 ? e.Blocks / 2 : e.Blocks;
                int gx = Math.Clamp(feet.X + sx * along, -64, 63), gz = Math.Clamp(feet.Z + sz * along, -64, 63);
                _poses[a] = pose with { Position = new Vec3(gx + 0.5, Ground + 1, gz + 0.5) };
                int movedBlocks = Math.Abs(gx - feet.X) + Math.Abs(gz - feet.Z);
                return (movedBlocks > 0, $"explored {movedBlocks}", movedBlocks, none);
            case Place p:
                if (_inventories[a].GetValueOrDefault(p.Item) <= 0) return (false, "no item", 0, none);
                if (FakeWorld.GetBlock(p.Target) != Block.Air) return (false, "occupied", 0, none);
                if (p.Target.X == feet.X && p.Target.Z == feet.Z && (p.Target.Y == feet.Y || p.Target.Y == feet.Y + 1)) return (false, "agent there", 0, none);
                if (Reach(pose, p.Target) > 4.5) return (false, "out of reach", 0, none);
                bool supported = new[] { p.Target.Below, p.Target.Above, p.Target.Offset(1, 0, 0), p.Target.Offset(-1, 0, 0), p.Target.Offset(0, 0, 1), p.Target.Offset(0, 0, -1) }
                    .Any(n => FakeWorld.GetBlock(n) != Block.Air);
                if (!supported) return (false, "nothing to place against", 0, none);
                FakeWorld.SetBlock(p.Target, Items.BlockOf(p.Item) ?? Block.OakPlanks);
                _inventories[a][p.Item]--;
                return (true, "placed", 0, none);
            case PlaceBox box:
            {
                // The fake's building action walks along without limit: each cell needs the item, an empty cell and support.
                int placedCells = 0, failedCells = 0;
                for (int y = Math.Min(box.From.Y, box.To.Y); y <= Math.Max(box.From.Y, box.To.Y); y++)
                    for (int z = Math.Min(box.From.Z, box.To.Z); z <= Math.Max(box.From.Z, box.To.Z); z++)
                        for (int x = Math.Min(box.From.X, box.To.X); x <= Math.Max(box.From.X, box.To.X); x++)
                        {
                            var c = new BlockPos(x, y, z);
                            bool ok = _inventories[a].GetValueOrDefault(box.Item) > 0 && FakeWorld.GetBlock(c) == Block.Air
                                && new[] { c.Below, c.Above, c.Offset(1, 0, 0), c.Offset(-1, 0, 0), c.Offset(0, 0, 1), c.Offset(0, 0, -1) }.Any(n => FakeWorld.GetBlock(n) != Block.Air);
                            if (!ok) { failedCells++; continue; }
                            FakeWorld.SetBlock(c, Items.BlockOf(box.Item) ?? Block.OakPlanks);
                            _inventories[a][box.Item]--;
                            placedCells++;
                        }
                return (failedCells == 0, $"placed {placedCells}, {failedCells} failed", 0, none);
            }
            case Mine m:
                Block b = FakeWorld.GetBlock(m.Target);
                if (b == Block.Air || Reach(pose, m.Target) > 4.5) return (false, "cannot mine", 0, none);
                FakeWorld.SetBlock(m.Target, Block.Air);
                string item = b == Block.DiamondOre ? Items.Diamond : Items.OfBlock(b);
                _inventories[a][item] = _inventories[a].GetValueOrDefault(item) + 1;
                return (true, "mined", 0, new Dictionary<string, int> { [item] = 1 });
            case Collect c:
                _inventories[a][c.Item] = _inventories[a].GetValueOrDefault(c.Item) + c.Count;
                return (true, "collected", 0, new Dictionary<string, int> { [c.Item] = c.Count });
            case LookAt l:
                _poses[a] = pose with { Yaw = l.Yaw, Pitch = l.Pitch };
                return (true, "looking", 0, none);
            default:
                return (true, "waited", 0, none);
        }
    }

    /// <summary>Eye to the block's nearest point.</summary>
    private static double Reach(Pose pose, BlockPos b)
    {
        double ex = pose.Position.X, ey = pose.Position.Y + Pose.EyeHeight, ez = pose.Position.Z;
        double dx = Math.Max(0, Math.Max(b.X - ex, ex - b.X - 1)), dy = Math.Max(0, Math.Max(b.Y - ey, ey - b.Y - 1)), dz = Math.Max(0, Math.Max(b.Z - ez, ez - b.Z - 1));
        return Math.Sqrt(dx * dx + dy * dy + dz * dz);
    }

    private void Reveal(int a)
    {
        BlockPos feet = _poses[a].Block;
        for (int x = feet.X - 12; x <= feet.X + 12; x++)
            for (int z = feet.Z - 12; z <= feet.Z + 12; z++)
                FakeWorld.Reveal(a, x, z);
    }
}
