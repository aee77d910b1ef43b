namespace Expert.VqVae.MlCore.Training;

/// <summary>
/// One logged point of a training run: a stage ("vqvae", "prior", "bc", "dpo"...), a step within
/// it and named values. Use stable, slash-separated names (<c>loss</c>, <c>loss/reconstruction</c>,
/// <c>val/reconstruction_iou</c>, <c>rewards/margins</c>): logs, curves and reports key on them.
/// One JSON object a line in metrics.jsonl (<see cref="TrainingLog"/>): {"Stage":..,"Step":..,"Values":{..}}.
/// </summary>
public sealed record MetricPoint(string Stage, int Step, IReadOnlyDictionary<string, double> Values);
