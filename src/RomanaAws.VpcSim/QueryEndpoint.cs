using System.Collections.Concurrent;
using System.Net;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using RomanaAws.VpcSim.CloudWatch;
using RomanaAws.VpcSim.Ec2;
using RomanaAws.VpcSim.Ec2.Actions;
using RomanaAws.VpcSim.Faults;
using RomanaAws.VpcSim.Throttling;
using RomanaAws.VpcSim.World;

namespace RomanaAws.VpcSim;

/// <summary>
/// The AWS Query-protocol front door: form-encoded POST (or GET) with <c>Action</c> and <c>Version</c>. Version
/// 2016-11-15 is EC2, 2010-08-01 is CloudWatch. Order of checks, as AWS: signature present, action known,
/// authorization, throttling, then the action itself (under the world's lock).
/// </summary>
internal sealed class QueryEndpoint(SimWorld world, ApiThrottle throttle, MetricStore metrics, SimulatorState state, Scenario.CredentialsSpec? credentials)
{
    public ConcurrentDictionary<string, long> Calls { get; } = new(StringComparer.Ordinal);

    public async Task HandleAsync(HttpContext context)
    {
        var requestId = Guid.NewGuid().ToString();
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in context.Request.Query)
        {
            parameters[key] = value.ToString();
        }

        context.Request.EnableBuffering();
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        context.Request.Body.Position = 0;
        if (context.Request.HasFormContentType)
        {
            var form = new Microsoft.AspNetCore.Http.Features.FormFeature(context.Request, new Microsoft.AspNetCore.Http.Features.FormOptions { ValueCountLimit = 100_000 });
            foreach (var (key, value) in await form.ReadFormAsync(context.RequestAborted))
            {
                parameters[key] = value.ToString();
            }
        }

        var request = new QueryRequest(parameters, requestId);
        var version = request.Get("Version");
        var isCloudWatch = version == CloudWatchXml.ApiVersion;
        try
        {
            if (version != Ec2Xml.ApiVersion && !isCloudWatch)
            {
                throw new Ec2Exception("InvalidParameterValue", $"Unsupported Version '{version}': the simulator speaks EC2 {Ec2Xml.ApiVersion} and CloudWatch {CloudWatchXml.ApiVersion}");
            }

            if (!context.Request.Headers.Authorization.ToString().StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal)
                && !parameters.ContainsKey("X-Amz-Signature"))
            {
                throw isCloudWatch
                    ? new Ec2Exception("MissingAuthenticationToken", "Request is missing Authentication Token", HttpStatusCode.Forbidden)
                    : new Ec2Exception("AuthFailure", "AWS was not able to validate the provided access credentials", HttpStatusCode.Unauthorized);
            }

            if (credentials is { AccessKeyId: { } key, SecretAccessKey: { } secret }
                && Auth.SigV4Verifier.Verify(context.Request, body, key, secret) is { } problem)
            {
                throw isCloudWatch
                    ? new Ec2Exception("SignatureDoesNotMatch", problem, HttpStatusCode.Forbidden)
                    : new Ec2Exception("AuthFailure", problem, HttpStatusCode.Unauthorized);
            }

            var action = request.Action;
            Calls.AddOrUpdate(action, 1, (_, n) => n + 1);
            var response = isCloudWatch
                ? await HandleCloudWatchAsync(request, context.RequestAborted)
                : await HandleEc2Async(request, context.RequestAborted);
            await WriteAsync(context, HttpStatusCode.OK, response);
        }
        catch (Ec2Exception ex)
        {
            var error = isCloudWatch ? CloudWatchXml.Error(ex.Code, ex.Message, requestId, ex.Status) : Ec2Xml.Error(ex.Code, ex.Message, requestId);
            await WriteAsync(context, ex.Status, error);
        }
        catch (Exception ex) when (ex is OverflowException or KeyNotFoundException or FormatException or InvalidDataException or ArgumentException)
        {
            // A request the parser could not take: answer like AWS would, never with a bare 500.
            var code = isCloudWatch ? "InvalidParameterValue" : "InvalidParameterValue";
            var error = isCloudWatch ? CloudWatchXml.Error(code, ex.Message, requestId, HttpStatusCode.BadRequest) : Ec2Xml.Error(code, ex.Message, requestId);
            await WriteAsync(context, HttpStatusCode.BadRequest, error);
        }
    }

    private async Task<XElement> HandleEc2Async(QueryRequest request, CancellationToken cancellationToken)
    {
        if (!Ec2Actions.ByName.TryGetValue(request.Action, out var action))
        {
            throw new Ec2Exception("InvalidAction", $"The action {request.Action} is not valid for this web service.");
        }

        await ApplyFaultsAsync(request.Action, cancellationToken);
        var category = InstanceActions.IsUnfiltered(request) ? ApiCategory.UnfilteredDescribeInstances : action.Category;
        if (!throttle.TryAcquire(category))
        {
            throw new Ec2Exception("RequestLimitExceeded", "Request limit exceeded.", HttpStatusCode.ServiceUnavailable);
        }

        lock (world.Sync)
        {
            return Ec2Xml.Response(request.Action, request.RequestId, action.Handle(request, world));
        }
    }

    private async Task<XElement> HandleCloudWatchAsync(QueryRequest request, CancellationToken cancellationToken)
    {
        if (!CloudWatchActions.ByName.TryGetValue(request.Action, out var action))
        {
            throw new Ec2Exception("InvalidAction", $"Could not find operation {request.Action} for version {CloudWatchXml.ApiVersion}");
        }

        await ApplyFaultsAsync(request.Action, cancellationToken);
        lock (world.Sync)
        {
            return CloudWatchXml.Response(request.Action, request.RequestId, action(request, metrics, world.Now));
        }
    }

    /// <summary>Injected faults, in AWS's order: latency, then authorization, then errors.</summary>
    private async Task ApplyFaultsAsync(string action, CancellationToken cancellationToken)
    {
        var faults = state.Faults;
        var delay = faults.Latency + (faults.Jitter * state.NextDouble());
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, world.Time, cancellationToken);
        }

        if (faults.UnauthorizedActions.Contains(action))
        {
            throw new Ec2Exception("UnauthorizedOperation", "You are not authorized to perform this operation.", HttpStatusCode.Forbidden);
        }

        if (faults.FailActions.TryGetValue(action, out var code))
        {
            throw FaultError(code);
        }

        if (faults.ServerErrorRate > 0 && state.NextDouble() < faults.ServerErrorRate)
        {
            throw state.NextDouble() < 0.5 ? FaultError("InternalError") : FaultError("Unavailable");
        }

        if (faults.ThrottleRate > 0 && state.NextDouble() < faults.ThrottleRate)
        {
            throw FaultError("RequestLimitExceeded");
        }
    }

    private static Ec2Exception FaultError(string code) => code switch
    {
        "InternalError" => new(code, "An internal error has occurred", HttpStatusCode.InternalServerError),
        "Unavailable" => new(code, "The service is unavailable. Please try again shortly.", HttpStatusCode.ServiceUnavailable),
        "RequestLimitExceeded" => new(code, "Request limit exceeded.", HttpStatusCode.ServiceUnavailable),
        "UnauthorizedOperation" => new(code, "You are not authorized to perform this operation.", HttpStatusCode.Forbidden),
        _ => new(code, $"Injected failure {code}"),
    };

    private static async Task WriteAsync(HttpContext context, HttpStatusCode status, XElement body)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "text/xml;charset=UTF-8";
        await context.Response.WriteAsync(new XDocument(new XDeclaration("1.0", "UTF-8", null), body).Declaration + body.ToString(SaveOptions.DisableFormatting), context.RequestAborted);
    }
}
