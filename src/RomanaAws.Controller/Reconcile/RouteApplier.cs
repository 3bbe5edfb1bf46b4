using Microsoft.Extensions.Logging;
using RomanaAws.Aws.Ec2;
using RomanaAws.Core.Leadership;
using RomanaAws.Core.Routing;

namespace RomanaAws.Controller.Reconcile;

/// <summary>
/// Carries out a plan through the EC2 seam: tables in parallel, each table's operations in order (creates and
/// replaces, then deletes). Converges around races (an existing route is replaced, a vanished one created) and
/// survives a table someone else filled. Every failure is logged with table and CIDR and returned as a typed
/// <see cref="WriteError"/>, never thrown; a failed create or replace is also a <see cref="RouteFailure"/> (creates
/// skipped after the table was full too). The write fence is asked immediately before every mutating call; its
/// <see cref="NotLeaderException"/> is not a write error: it propagates, and the first table refused cancels the others'
/// calls in flight (each of them would be refused at its next check anyway, as they ask the same fence).
/// </summary>
public sealed partial class RouteApplier(IEc2Api ec2, ILogger<RouteApplier> logger)
{
    public async Task<ApplyResult> ApplyAsync(ReconcilePlan plan, bool dryRun, IWriteFence fence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(fence);
        using var refused = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tables = await Task.WhenAll(plan.Operations.GroupBy(o => o.RouteTableId).Select(table => ApplyTableAsync([.. table], dryRun, fence, refused)));
        var errors = tables.SelectMany(t => t.Errors).ToList();
        var applied = tables.Sum(t => t.Applied);
        foreach (var (instance, eni) in plan.DisableSourceDestCheck)
        {
            try
            {
                fence.EnsureMayWrite();
                await ec2.DisableSourceDestCheckAsync(eni, dryRun, cancellationToken);
                LogSourceDestCheck(instance);
                applied++;
            }
            catch (Ec2ApiException ex) when (ex.Kind != Ec2ErrorKind.DryRunSucceeded || !dryRun)
            {
                LogSourceDestCheckFailure(instance, ex.Code, ex.Message);
                errors.Add(new SourceDestCheckError(instance, eni, ex));
            }
            catch (Ec2ApiException)
            {
                applied++;
            }
        }

        return new ApplyResult(applied, errors, [.. tables.SelectMany(t => t.Failures)]);
    }

    /// <summary>One table's operations in order; a refusal of the fence cancels <paramref name="refused"/> (the other tables' calls) and propagates.</summary>
    private async Task<ApplyResult> ApplyTableAsync(List<RouteOperation> operations, bool dryRun, IWriteFence fence, CancellationTokenSource refused)
    {
        try
        {
            return await ApplyTableAsync(operations, dryRun, fence, refused.Token);
        }
        catch (NotLeaderException)
        {
            await refused.CancelAsync();
            throw;
        }
    }

    private async Task<ApplyResult> ApplyTableAsync(List<RouteOperation> operations, bool dryRun, IWriteFence fence, CancellationToken cancellationToken)
    {
        var errors = new List<WriteError>();
        var failures = new List<RouteFailure>();
        var applied = 0;
        var tableFull = false;
        foreach (var op in operations)
        {
            if (tableFull && op.Kind == RouteOperationKind.Create)
            {
                failures.Add(new RouteFailure(RouteFailureKind.RouteLimitExceeded, op.RouteTableId, op.Destination, op.Target?.InstanceId, $"not created: {op.RouteTableId} answered RouteLimitExceeded"));
                continue;
            }

            try
            {
                await ApplyOneAsync(op, dryRun, fence, cancellationToken);
                applied++;
                LogApplied(op.Kind, op.RouteTableId, op.Destination, op.Target?.InstanceId, op.Reason);
            }
            catch (Ec2ApiException ex) when (ex.Kind == Ec2ErrorKind.DryRunSucceeded && dryRun)
            {
                applied++;
            }
            catch (Ec2ApiException ex)
            {
                tableFull |= ex.Kind == Ec2ErrorKind.RouteLimitExceeded;
                LogFailure(op.Kind, op.RouteTableId, op.Destination, ex.Code, ex.Message);
                var error = new RouteWriteError(op, ex);
                errors.Add(error);
                if (op.Kind != RouteOperationKind.Delete)
                {
                    var kind = ex.Kind == Ec2ErrorKind.RouteLimitExceeded ? RouteFailureKind.RouteLimitExceeded : RouteFailureKind.FailedToCreateRoute;
                    failures.Add(new RouteFailure(kind, op.RouteTableId, op.Destination, op.Target?.InstanceId, $"{op.Kind} {op.Destination} in {op.RouteTableId}: {ex.Code}: {ex.Message}"));
                }
            }
        }

        return new ApplyResult(applied, errors, failures);
    }

    private async Task ApplyOneAsync(RouteOperation op, bool dryRun, IWriteFence fence, CancellationToken cancellationToken)
    {
        fence.EnsureMayWrite();
        switch (op.Kind)
        {
            case RouteOperationKind.Create:
                // RouteAlreadyExists is reported, never answered with a blind Replace: whoever created the route
                // meanwhile may not be us. The next pass sees it and replaces it only if it is ours.
                await ec2.CreateRouteAsync(op.RouteTableId, op.Destination, op.Target!.NetworkInterfaceId, dryRun, cancellationToken);
                break;
            case RouteOperationKind.Replace:
                try
                {
                    await ec2.ReplaceRouteAsync(op.RouteTableId, op.Destination, op.Target!.NetworkInterfaceId, dryRun, cancellationToken);
                }
                catch (Ec2ApiException ex) when (ex.Kind == Ec2ErrorKind.RouteNotFound)
                {
                    fence.EnsureMayWrite(); // a second write: asked again
                    await ec2.CreateRouteAsync(op.RouteTableId, op.Destination, op.Target!.NetworkInterfaceId, dryRun, cancellationToken);
                }

                break;
            case RouteOperationKind.Delete:
                try
                {
                    await ec2.DeleteRouteAsync(op.RouteTableId, op.Destination, dryRun, cancellationToken);
                }
                catch (Ec2ApiException ex) when (ex.Kind == Ec2ErrorKind.RouteNotFound)
                {
                    // Already gone: that is what we wanted.
                }

                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Operation} {RouteTableId} {Cidr} → {InstanceId} ({Reason})")]
    private partial void LogApplied(RouteOperationKind operation, string routeTableId, RomanaAws.Core.Net.Cidr cidr, string? instanceId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Operation} {RouteTableId} {Cidr} failed: {Code}: {Error}")]
    private partial void LogFailure(RouteOperationKind operation, string routeTableId, RomanaAws.Core.Net.Cidr cidr, string code, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "ModifyNetworkInterfaceAttribute for {InstanceId} (source/destination check) failed: {Code}: {Error}")]
    private partial void LogSourceDestCheckFailure(string instanceId, string code, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Source/destination check switched off on {InstanceId}")]
    private partial void LogSourceDestCheck(string instanceId);
}
