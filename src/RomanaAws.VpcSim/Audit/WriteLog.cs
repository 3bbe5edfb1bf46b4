using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using RomanaAws.VpcSim.Ec2;

namespace RomanaAws.VpcSim.Audit;

/// <summary>
/// Every mutating EC2 call in arrival order, with its caller (bounded: the oldest go past <see cref="Capacity"/>).
/// Describe calls are not kept: they cannot break a fence.
/// </summary>
internal sealed class WriteLog
{
    public const int Capacity = 100_000;

    private readonly ConcurrentQueue<WriteRecord> _records = new();
    private long _sequence;

    public IReadOnlyList<WriteRecord> Records => [.. _records];

    public void Clear() => _records.Clear();

    public void Record(HttpRequest http, QueryRequest request, DateTimeOffset at)
    {
        if (request.Action.StartsWith("Describe", StringComparison.Ordinal))
        {
            return;
        }

        _records.Enqueue(new WriteRecord(
            Interlocked.Increment(ref _sequence), at, CallerOf(http, request), request.Action,
            request.Get("RouteTableId"), request.Get("DestinationCidrBlock"), request.Get("NetworkInterfaceId")));
        while (_records.Count > Capacity && _records.TryDequeue(out _))
        {
        }
    }

    /// <summary>The access key id of a SigV4 signature: <c>Credential=AKID/date/region/service/aws4_request</c> in the header or the query.</summary>
    public static string CallerOf(HttpRequest http, QueryRequest request)
    {
        var credential = request.Get("X-Amz-Credential");
        var header = http.Headers.Authorization.ToString();
        var at = header.IndexOf("Credential=", StringComparison.Ordinal);
        if (at >= 0)
        {
            credential = header[(at + "Credential=".Length)..];
        }

        var slash = credential?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        return slash > 0 ? credential![..slash] : "(unsigned)";
    }
}
