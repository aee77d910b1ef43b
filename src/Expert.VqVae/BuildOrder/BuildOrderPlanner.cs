using Expert.VqVae.Voxels;

namespace Expert.VqVae.BuildOrder;

/// <summary>
/// Orders the blocks of a grid for an agent that can only place a block on the ground or against a
/// block already there. The rule, in full, is in BuildOrder/BUILD_ORDER.md:
/// <list type="number">
/// <item>Scaffold: every face-connected part of the grid that does not reach y = 0 gets one vertical
/// scaffold column of empty cells, dropped from one of its cells until it stands on the ground or
/// touches a grounded block (the shortest such column; parts are handled lowest first).</item>
/// <item>Layers bottom-up. In layer y the seeds are the cells standing on the ground (y = 0) or on a
/// placed block; seeds are taken in x-then-z order and each grows a breadth-first flood through
/// horizontally adjacent cells of that layer (neighbours in x-then-z order).</item>
/// <item>Cells of layer y not reached are deferred. After every layer, deferred cells that touch a
/// placed block on any face are placed, each growing a breadth-first flood through the deferred
/// cells (an eave hangs from the roof placed above it).</item>
/// <item>Scaffold blocks are removed at the end, last placed first.</item>
/// </list>
/// Deterministic, O(cells) apart from the scaffold search, and stateless: safe to call concurrently.
/// </summary>
public static class BuildOrderPlanner
{
    private const byte Empty = 0, Block = 1, Temporary = 2;

    public static BuildPlan Plan(OccupancyGrid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        var state = new PlannerState(grid);
        state.AddScaffolds();
        return state.Run();
    }

    private sealed class PlannerState
    {
        private readonly int _sx, _sy, _sz, _layer;
        private readonly byte[] _kind;
        private readonly bool[] _placed;
        private readonly bool[] _queued;
        private readonly int[] _queue;
        private readonly List<BuildStep> _steps = [];

        public PlannerState(OccupancyGrid grid)
        {
            _sx = grid.SizeX;
            _sy = grid.SizeY;
            _sz = grid.SizeZ;
            _layer = _sx * _sz;
            _kind = new byte[grid.Volume];
            ReadOnlySpan<bool> cells = grid.Cells;
            for (int i = 0; i < cells.Length; i++) _kind[i] = cells[i] ? Block : Empty;
            _placed = new bool[grid.Volume];
            _queued = new bool[grid.Volume];
            _queue = new int[grid.Volume];
        }

        private int Index(int x, int y, int z) => x + _sx * (z + _sz * y);

        private void Coordinates(int i, out int x, out int y, out int z)
        {
            x = i % _sx;
            int rest = i / _sx;
            z = rest % _sz;
            y = rest / _sz;
        }

        /// <summary>
        /// Marks scaffold cells (kind Temporary) so that every block connects to the ground through
        /// face-adjacent blocks. Parts are found in (y, x, z) scan order, so each part is met at its
        /// lowest cell and lower parts are grounded before higher ones.
        /// </summary>
        public void AddScaffolds()
        {
            var grounded = new bool[_kind.Length];
            int head = 0, tail = 0;
            for (int z = 0; z < _sz; z++)
                for (int x = 0; x < _sx; x++)
                {
                    int i = Index(x, 0, z);
                    if (_kind[i] != Empty) { grounded[i] = true; _queue[tail++] = i; }
                }
            Flood(grounded, ref head, ref tail);

            var seen = new bool[_kind.Length];
            var part = new List<int>();
            for (int y = 1; y < _sy; y++)
                for (int x = 0; x < _sx; x++)
                    for (int z = 0; z < _sz; z++)
                    {
                        int start = Index(x, y, z);
                        if (_kind[start] == Empty || grounded[start] || seen[start]) continue;
                        CollectPart(start, grounded, seen, part);

                        // The shortest drop from any cell of the part, down through empty cells, until the column
                        // stands on the ground or on a grounded block, or touches a grounded block on a face.
                        // Ties by (y, x, z) of the part's cell.
                        int bestCell = -1, bestLength = int.MaxValue;
                        foreach (int c in part)
                        {
                            if (!Drop(c, grounded, out int length)) continue;
                            if (length < bestLength || (length == bestLength && Before(c, bestCell)))
                            {
                                bestLength = length;
                                bestCell = c;
                            }
                        }
                        if (bestCell < 0) throw new InvalidOperationException("No scaffold column found for a floating part; this is a bug.");

                        head = tail = 0;
                        for (int k = 1; k <= bestLength; k++)
                        {
                            int s = bestCell - k * _layer;
                            _kind[s] = Temporary;
                            grounded[s] = true;
                            _queue[tail++] = s;
                        }
                        Flood(grounded, ref head, ref tail);
                    }
        }

        /// <summary>
        /// Length of the scaffold column under cell <paramref name="c"/>: empty cells straight down, ending
        /// at the first one that is at y = 0 or touches a grounded block; false when the drop instead
        /// lands on an ungrounded block (or there is no empty cell under <paramref name="c"/>).
        /// </summary>
        private bool Drop(int c, bool[] grounded, out int length)
        {
            length = 0;
            Coordinates(c, out int x, out int cy, out int z);
            for (int y = cy - 1; y >= 0; y--)
            {
                int s = Index(x, y, z);
                if (_kind[s] != Empty) return length > 0 && grounded[s];
                length++;
                if (y == 0 || TouchesAny(s, grounded)) return true;
            }
            return false;
        }

        private bool TouchesAny(int i, bool[] marks)
        {
            Coordinates(i, out int x, out int y, out int z);
            for (int n = 0; n < 6; n++)
                if (Neighbour(x, y, z, n, out int j) && marks[j]) return true;
            return false;
        }

        /// <summary>True when cell a comes before cell b in (y, x, z) order.</summary>
        private bool Before(int a, int b)
        {
            if (b < 0) return true;
            Coordinates(a, out int ax, out int ay, out int az);
            Coordinates(b, out int bx, out int by, out int bz);
            return ay != by ? ay < by : ax != bx ? ax < bx : az < bz;
        }

        /// <summary>Marks as grounded every non-empty cell face-connected to the queued ones.</summary>
        private void Flood(bool[] grounded, ref int head, ref int tail)
        {
            while (head < tail)
            {
                int c = _queue[head++];
                Coordinates(c, out int x, out int y, out int z);
                for (int n = 0; n < 6; n++)
                {
                    if (!Neighbour(x, y, z, n, out int j)) continue;
                    if (_kind[j] == Empty || grounded[j]) continue;
                    grounded[j] = true;
                    _queue[tail++] = j;
                }
            }
        }

        private void CollectPart(int start, bool[] grounded, bool[] seen, List<int> part)
        {
            part.Clear();
            seen[start] = true;
            part.Add(start);
            for (int k = 0; k < part.Count; k++)
            {
                Coordinates(part[k], out int x, out int y, out int z);
                for (int n = 0; n < 6; n++)
                {
                    if (!Neighbour(x, y, z, n, out int j)) continue;
                    if (_kind[j] == Empty || grounded[j] || seen[j]) continue;
                    seen[j] = true;
                    part.Add(j);
                }
            }
        }

        /// <summary>Face neighbours in (y, x, z) order: -y, -x, -z, +z, +x, +y.</summary>
        private bool Neighbour(int x, int y, int z, int n, out int j)
        {
            switch (n)
            {
                case 0: y--; break;
                case 1: x--; break;
                case 2: z--; break;
                case 3: z++; break;
                case 4: x++; break;
                default: y++; break;
            }
            bool inside = (uint)x < (uint)_sx && (uint)y < (uint)_sy && (uint)z < (uint)_sz;
            j = inside ? Index(x, y, z) : -1;
            return inside;
        }

        public BuildPlan Run()
        {
            var pending = new List<int>();
            for (int y = 0; y < _sy; y++)
            {
                // 1. Seeds of this layer (on the ground or on a placed block), x then z; each floods its layer.
                for (int x = 0; x < _sx; x++)
                    for (int z = 0; z < _sz; z++)
                    {
                        int i = Index(x, y, z);
                        if (_kind[i] == Empty || _queued[i]) continue;
                        if (y > 0 && !_placed[i - _layer]) continue;
                        FloodLayer(i, y);
                    }

                // 2. What this layer could not reach waits.
                for (int x = 0; x < _sx; x++)
                    for (int z = 0; z < _sz; z++)
                    {
                        int i = Index(x, y, z);
                        if (_kind[i] != Empty && !_queued[i]) pending.Add(i);
                    }

                // 3. Waiting cells that now touch a placed block, lowest first, flood the waiting cells.
                if (pending.Count == 0) continue;
                foreach (int i in pending)
                {
                    if (_queued[i] || !TouchesPlaced(i)) continue;
                    FloodPending(i, y);
                }
                pending.RemoveAll(i => _queued[i]);
            }
            if (pending.Count > 0) throw new InvalidOperationException($"{pending.Count} blocks were never reachable; this is a bug in the scaffold search.");

            // 4. Scaffold comes down, last placed first.
            int placements = _steps.Count;
            for (int k = placements - 1; k >= 0; k--)
            {
                BuildStep s = _steps[k];
                if (s.Kind == BuildStepKind.Scaffold)
                    _steps.Add(new BuildStep(s.X, s.Y, s.Z, BuildStepKind.Remove, _sy, BuildSupport.None));
            }
            return new BuildPlan(_sx, _sy, _sz, _steps);
        }

        private void FloodLayer(int start, int y)
        {
            int head = 0, tail = 0;
            _queued[start] = true;
            _queue[tail++] = start;
            while (head < tail)
            {
                int c = _queue[head++];
                Emit(c, y);
                Coordinates(c, out int x, out _, out int z);
                // horizontal neighbours in x-then-z order: (x-1, z), (x, z-1), (x, z+1), (x+1, z)
                for (int n = 1; n <= 4; n++)
                {
                    if (!Neighbour(x, y, z, n, out int j)) continue;
                    if (_kind[j] == Empty || _queued[j]) continue;
                    _queued[j] = true;
                    _queue[tail++] = j;
                }
            }
        }

        private void FloodPending(int start, int pass)
        {
            int head = 0, tail = 0;
            _queued[start] = true;
            _queue[tail++] = start;
            while (head < tail)
            {
                int c = _queue[head++];
                Emit(c, pass);
                Coordinates(c, out int x, out int y, out int z);
                for (int n = 0; n < 6; n++)
                {
                    if (!Neighbour(x, y, z, n, out int j)) continue;
                    if (_kind[j] == Empty || _queued[j] || j / _layer > pass) continue;
                    _queued[j] = true;
                    _queue[tail++] = j;
                }
            }
        }

        private bool TouchesPlaced(int i) => TouchesAny(i, _placed);

        private void Emit(int i, int pass)
        {
            Coordinates(i, out int x, out int y, out int z);
            BuildSupport support;
            if (y == 0) support = BuildSupport.Ground;
            else if (_placed[i - _layer]) support = BuildSupport.Below;
            else if ((x > 0 && _placed[i - 1]) || (x < _sx - 1 && _placed[i + 1])
                     || (z > 0 && _placed[i - _sx]) || (z < _sz - 1 && _placed[i + _sx])) support = BuildSupport.Side;
            else if (y < _sy - 1 && _placed[i + _layer]) support = BuildSupport.Above;
            else throw new InvalidOperationException($"Block ({x}, {y}, {z}) has no support when placed; this is a bug.");
            _placed[i] = true;
            _steps.Add(new BuildStep(x, y, z, _kind[i] == Temporary ? BuildStepKind.Scaffold : BuildStepKind.Place, pass, support));
        }
    }
}
