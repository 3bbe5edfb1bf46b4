using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using RomanaAws.Cni.Spec;
using RomanaAws.CniProtocol;

namespace RomanaAws.Cni;

/// <summary>
/// The node agent's CNI API over its unix socket (docs/agent.md, "Socket API"): one blocking HTTP/1.0 exchange per
/// call (the agent's Kestrel answers and closes; no chunking, no keep-alive). Written by hand instead of
/// <see cref="HttpClient"/>: the plugin is one short process per pod, and HttpClient's start (thread pool, handler,
/// async connect) cost more than the whole rest of an ADD (measured with strace; docs/benchmarks.md). Failures become
/// <see cref="CniFailure"/>: the agent's refusals carry its CNI code; an unreachable agent is code 11.
/// </summary>
internal sealed class AgentClient(string socketPath, TimeSpan timeout)
{
    private const int MaxAnswerBytes = 1 << 20;

    public CniAddress Add(CniAddRequest request) => Post("/v1/cni/add", request, CniProtocolJson.Default.CniAddRequest, CniProtocolJson.Default.CniAddress);

    public CniReleased Delete(CniKeyRequest request) => Post("/v1/cni/del", request, CniProtocolJson.Default.CniKeyRequest, CniProtocolJson.Default.CniReleased);

    public CniAddress Check(CniKeyRequest request) => Post("/v1/cni/check", request, CniProtocolJson.Default.CniKeyRequest, CniProtocolJson.Default.CniAddress);

    public CniGcResult Gc(CniGcRequest request) => Post("/v1/cni/gc", request, CniProtocolJson.Default.CniGcRequest, CniProtocolJson.Default.CniGcResult);

    public CniStatus Status() => Read(Exchange("GET", "/v1/cni/status", []), "/v1/cni/status", CniProtocolJson.Default.CniStatus);

    private TResponse Post<TRequest, TResponse>(string path, TRequest request, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType) =>
        Read(Exchange("POST", path, JsonSerializer.SerializeToUtf8Bytes(request, requestType)), path, responseType);

    private static T Read<T>((int Status, byte[] Body) answer, string path, JsonTypeInfo<T> type)
    {
        if (answer.Status is < 200 or > 299)
        {
            var problem = TryParse(answer.Body, CniProtocolJson.Default.CniProblem);
            throw new CniFailure(problem?.Code ?? CniErrorCode.TryAgainLater, problem?.Message ?? $"the romana-aws agent answered {answer.Status} to {path}");
        }

        return TryParse(answer.Body, type) ?? throw new CniFailure(CniErrorCode.TryAgainLater, $"the romana-aws agent sent an answer to {path} that is not {typeof(T).Name} JSON");
    }

    private static T? TryParse<T>(byte[] body, JsonTypeInfo<T> type)
    {
        try
        {
            return body.Length == 0 ? default : JsonSerializer.Deserialize(body, type);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <summary>One request, the whole answer read to the agent's close: (status code, body).</summary>
    private (int Status, byte[] Body) Exchange(string method, string path, byte[] body)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
        {
            SendTimeout = (int)timeout.TotalMilliseconds,
            ReceiveTimeout = (int)timeout.TotalMilliseconds,
        };
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            var head = Encoding.ASCII.GetBytes($"{method} {path} HTTP/1.0\r\nHost: romana-aws-agent\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n");
            socket.Send(head);
            socket.Send(body);
            using var answer = new MemoryStream();
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = socket.Receive(buffer)) > 0)
            {
                answer.Write(buffer, 0, read);
                if (answer.Length > MaxAnswerBytes)
                {
                    throw new CniFailure(CniErrorCode.TryAgainLater, $"the romana-aws agent's answer to {path} is over {MaxAnswerBytes} bytes");
                }
            }

            return Parse(answer.GetBuffer().AsSpan(0, (int)answer.Length), path);
        }
        catch (SocketException e)
        {
            var why = e.SocketErrorCode == SocketError.TimedOut ? $"no answer within {timeout.TotalSeconds:0} s"
                : !File.Exists(socketPath) ? "no socket there"
                : e.Message;
            throw new CniFailure(CniErrorCode.TryAgainLater, $"the romana-aws agent is not reachable on {socketPath}: {why}; is the agent running on this node?");
        }
    }

    private static (int Status, byte[] Body) Parse(ReadOnlySpan<byte> answer, string path)
    {
        var end = answer.IndexOf("\r\n\r\n"u8);
        var space = answer.IndexOf((byte)' ');
        if (end < 0 || space < 0 || answer.Length < space + 4 || !int.TryParse(answer.Slice(space + 1, 3), out var status))
        {
            throw new CniFailure(CniErrorCode.TryAgainLater, $"the romana-aws agent's answer to {path} is not HTTP");
        }

        return (status, answer[(end + 4)..].ToArray());
    }
}
