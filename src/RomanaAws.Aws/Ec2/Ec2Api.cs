using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using RomanaAws.Core.Net;
using RomanaAws.Core.Routing;

namespace RomanaAws.Aws.Ec2;

/// <summary>
/// <see cref="IEc2Api"/> over AWSSDK.EC2. The SDK's own retries are off (<see cref="Ec2ClientFactory"/>); a Polly
/// pipeline retries only throttling and transient errors, with exponential backoff and jitter on the injected
/// clock; mutating calls are paced client-side and bounded in concurrency. Everything else is classified into an
/// <see cref="Ec2ApiException"/> and never retried blindly.
/// </summary>
/// <remarks>
/// The write fence (leader election) is asked after the pacer's wait and before every attempt of a mutating call, retries
/// included: the last moment before the request leaves, so a leader paused while it waited for its turn (or for a retry's
/// backoff) does not send once it resumes. Its <see cref="Core.Leadership.NotLeaderException"/> is never retried.
/// </remarks>
public sealed partial class Ec2Api : IEc2Api, IDisposable
{
    private readonly IAmazonEC2 _ec2;
    private readonly ResiliencePipeline _retry;
    private readonly MutationPacer _pacer;
    private readonly SemaphoreSlim _concurrency;
    private readonly ILogger<Ec2Api> _logger;
    private readonly Core.Leadership.IWriteFence _fence;

    /// <param name="fence">Asked before every attempt of a mutating call; always open when null (one replica, the CLI).</param>
    public Ec2Api(IAmazonEC2 ec2, AwsOptions options, TimeProvider time, ILogger<Ec2Api> logger, Core.Leadership.IWriteFence? fence = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _ec2 = ec2;
        _fence = fence ?? Core.Leadership.OpenWriteFence.Instance;
        _logger = logger;
        _pacer = new MutationPacer(time, options.MutationsPerSecond, options.MutationBurst);
        _concurrency = new SemaphoreSlim(options.MaxConcurrency);
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = time };
        if (options.MaxRetries > 0)
        {
            // Polly refuses MaxRetryAttempts 0; aws.maxRetries: 0 means no retry strategy at all.
            pipeline.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && IsRetryable(ex)),
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = TimeSpan.FromSeconds(20),
                OnRetry = args =>
                {
                    LogRetry(args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, args.Outcome.Exception?.Message);
                    return ValueTask.CompletedTask;
                },
            });
        }

        _retry = pipeline.AddTimeout(options.CallTimeout).Build();
    }

    public async Task<IReadOnlyList<InstanceSnapshot>> DescribeClusterInstancesAsync(string clusterName, CancellationToken cancellationToken)
    {
        var tags = new ClusterTags(clusterName);
        var result = new List<InstanceSnapshot>();
        string? token = null;
        do
        {
            var request = new DescribeInstancesRequest
            {
                Filters = [new Filter("tag-key", [.. tags.InstanceKeys])],
                MaxResults = 1000,
                NextToken = token,
            };
            var response = await CallAsync("DescribeInstances", ct => _ec2.DescribeInstancesAsync(request, ct), cancellationToken);
            result.AddRange((response.Reservations ?? []).SelectMany(r => r.Instances ?? []).Select(Ec2Mapping.ToSnapshot).Where(i => tags.MarksInstance(i.Tags)));
            token = response.NextToken;
        }
        while (!string.IsNullOrEmpty(token));
        return result;
    }

    public async Task<IReadOnlyList<RouteTableSnapshot>> DescribeRouteTablesAsync(string vpcId, CancellationToken cancellationToken)
    {
        var result = new List<RouteTableSnapshot>();
        string? token = null;
        do
        {
            var request = new DescribeRouteTablesRequest { Filters = [new Filter("vpc-id", [vpcId])], MaxResults = 100, NextToken = token };
            var response = await CallAsync("DescribeRouteTables", ct => _ec2.DescribeRouteTablesAsync(request, ct), cancellationToken);
            result.AddRange((response.RouteTables ?? []).Select(Ec2Mapping.ToSnapshot));
            token = response.NextToken;
        }
        while (!string.IsNullOrEmpty(token));
        return result;
    }

    public async Task<IReadOnlyList<InstanceStatusSnapshot>> DescribeInstanceStatusAsync(IReadOnlyList<string> instanceIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instanceIds);
        var result = new List<InstanceStatusSnapshot>();
        foreach (var chunk in instanceIds.Chunk(100))
        {
            var request = new DescribeInstanceStatusRequest { InstanceIds = [.. chunk], IncludeAllInstances = true };
            var response = await CallAsync("DescribeInstanceStatus", ct => _ec2.DescribeInstanceStatusAsync(request, ct), cancellationToken);
            result.AddRange((response.InstanceStatuses ?? []).Select(Ec2Mapping.ToSnapshot));
        }

        return result;
    }

    public Task CreateRouteAsync(string routeTableId, Cidr destination, string networkInterfaceId, bool dryRun, CancellationToken cancellationToken) =>
        MutateAsync("CreateRoute", ct => _ec2.CreateRouteAsync(new CreateRouteRequest
        {
            RouteTableId = routeTableId,
            DestinationCidrBlock = destination.ToString(),
            NetworkInterfaceId = networkInterfaceId,
            DryRun = dryRun,
        }, ct), cancellationToken);

    public Task ReplaceRouteAsync(string routeTableId, Cidr destination, string networkInterfaceId, bool dryRun, CancellationToken cancellationToken) =>
        MutateAsync("ReplaceRoute", ct => _ec2.ReplaceRouteAsync(new ReplaceRouteRequest
        {
            RouteTableId = routeTableId,
            DestinationCidrBlock = destination.ToString(),
            NetworkInterfaceId = networkInterfaceId,
            DryRun = dryRun,
        }, ct), cancellationToken);

    public Task DeleteRouteAsync(string routeTableId, Cidr destination, bool dryRun, CancellationToken cancellationToken) =>
        MutateAsync("DeleteRoute", ct => _ec2.DeleteRouteAsync(new DeleteRouteRequest
        {
            RouteTableId = routeTableId,
            DestinationCidrBlock = destination.ToString(),
            DryRun = dryRun,
        }, ct), cancellationToken);

    public Task DisableSourceDestCheckAsync(string networkInterfaceId, bool dryRun, CancellationToken cancellationToken) =>
        MutateAsync("ModifyNetworkInterfaceAttribute", ct => _ec2.ModifyNetworkInterfaceAttributeAsync(new ModifyNetworkInterfaceAttributeRequest
        {
            NetworkInterfaceId = networkInterfaceId,
            SourceDestCheck = false,
            DryRun = dryRun,
        }, ct), cancellationToken);

    private async Task MutateAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        await _concurrency.WaitAsync(cancellationToken);
        try
        {
            await CallAsync(operation, async ct =>
            {
                await _pacer.WaitAsync(ct);
                _fence.EnsureMayWrite();
                return await call(ct);
            }, cancellationToken);
        }
        finally
        {
            _concurrency.Release();
        }
    }

    private async Task<T> CallAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await _retry.ExecuteAsync(async ct => await call(ct), cancellationToken);
        }
        catch (AmazonEC2Exception ex)
        {
            throw new Ec2ApiException(operation, Ec2ErrorClassifier.Classify(ex.ErrorCode, ex.StatusCode, ex.Message), ex.ErrorCode ?? "Unknown", ex.Message, ex.StatusCode, ex);
        }
        catch (Exception ex) when (IsNetwork(ex) && !cancellationToken.IsCancellationRequested)
        {
            throw new Ec2ApiException(operation, Ec2ErrorKind.Transient, ex.GetType().Name, $"{ex.Message} (endpoint {Endpoint})", HttpStatusCode.ServiceUnavailable, ex);
        }
        catch (Exception ex) when (IsMalformed(ex))
        {
            // An answer the SDK cannot read (random bytes, a cut-off body, HTML from a proxy): named, never a raw XmlException.
            var detail = ex is AmazonServiceException service && service.InnerException is { } inner ? inner.Message : ex.Message;
            throw new Ec2ApiException(operation, Ec2ErrorKind.MalformedResponse, "MalformedResponse",
                $"the endpoint {Endpoint} answered with something that is not an EC2 {operation} response ({Core.Configuration.Echo.Cap(detail)}); is aws.ec2ServiceUrl an EC2 endpoint?",
                (ex as AmazonServiceException)?.StatusCode ?? HttpStatusCode.OK, ex);
        }
    }

    /// <summary>Where calls go: the configured service URL, or the region's public endpoint.</summary>
    private string Endpoint => _ec2.Config.ServiceURL ?? $"EC2 in {_ec2.Config.RegionEndpoint?.SystemName ?? "the default region"}";

    private static bool IsMalformed(Exception ex) =>
        ex is System.Xml.XmlException or AmazonUnmarshallingException or FormatException or InvalidCastException or OverflowException
        || (ex is AmazonServiceException && ex is not AmazonEC2Exception);

    private static bool IsRetryable(Exception ex) => ex switch
    {
        AmazonEC2Exception ec2 => Ec2ErrorClassifier.IsRetryable(Ec2ErrorClassifier.Classify(ec2.ErrorCode, ec2.StatusCode, ec2.Message)),
        _ => IsNetwork(ex),
    };

    private static bool IsNetwork(Exception ex) =>
        ex is HttpRequestException or Polly.Timeout.TimeoutRejectedException or IOException || (ex is AmazonServiceException { StatusCode: >= HttpStatusCode.InternalServerError });

    [LoggerMessage(Level = LogLevel.Warning, Message = "EC2 call failed transiently; retry {Attempt} in {DelayMs:0} ms: {Error}")]
    private partial void LogRetry(int attempt, double delayMs, string? error);

    public void Dispose()
    {
        _concurrency.Dispose();
        _ec2.Dispose();
    }
}
