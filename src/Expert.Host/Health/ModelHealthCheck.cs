using Expert.Host.Model;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Expert.Host.Health;

/// <summary>Healthy once the model is loaded: drives grpc.health.v1 from NOT_SERVING to SERVING.</summary>
internal sealed class ModelHealthCheck(ModelHolder model) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(model.State == ModelState.Ready
            ? HealthCheckResult.Healthy(model.StatusMessage)
            : HealthCheckResult.Unhealthy(model.StatusMessage));
}
