using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Serialization.Metadata;
using RomanaAws.Cni.Spec;
using RomanaAws.CniProtocol;

namespace RomanaAws.Cni;

/// <summary>
/// The node agent's CNI API over its unix socket (docs/agent.md, "CNI socket API"). Failures become
/// <see cref="CniFailure"/>: the agent's own refusals carry its CNI code; an unreachable agent is code 11 (try again later).
/// </summary>
internal sealed class AgentClient(string socketPath, TimeSpan timeout) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, ct) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
        UseProxy = false,
    })
    {
        BaseAddress = new Uri("http://romana-aws-agent/"),
        Timeout = timeout,
    };

    public Task<CniAddress> AddAsync(CniAddRequest request) => PostAsync("v1/cni/add", request, CniProtocolJson.Default.CniAddRequest, CniProtocolJson.Default.CniAddress);

    public Task<CniReleased> DeleteAsync(CniKeyRequest request) => PostAsync("v1/cni/del", request, CniProtocolJson.Default.CniKeyRequest, CniProtocolJson.Default.CniReleased);

    public Task<CniAddress> CheckAsync(CniKeyRequest request) => PostAsync("v1/cni/check", request, CniProtocolJson.Default.CniKeyRequest, CniProtocolJson.Default.CniAddress);

    public Task<CniGcResult> GcAsync(CniGcRequest request) => PostAsync("v1/cni/gc", request, CniProtocolJson.Default.CniGcRequest, CniProtocolJson.Default.CniGcResult);

    public async Task<CniStatus> StatusAsync()
    {
        using var response = await SendAsync(() => _http.GetAsync(new Uri("v1/cni/status", UriKind.Relative)));
        return await ReadAsync(response, CniProtocolJson.Default.CniStatus);
    }

    private async Task<TResponse> PostAsync<TRequest, TResponse>(string path, TRequest request, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType)
    {
        using var response = await SendAsync(() => _http.PostAsJsonAsync(new Uri(path, UriKind.Relative), request, requestType));
        if (!response.IsSuccessStatusCode)
        {
            var problem = await TryReadAsync(response, CniProtocolJson.Default.CniProblem);
            throw new CniFailure(problem?.Code ?? CniErrorCode.TryAgainLater, problem?.Message ?? $"the romana-aws agent answered {(int)response.StatusCode} to {path}");
        }

        return await ReadAsync(response, responseType);
    }

    private async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            return await send();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or SocketException or IOException)
        {
            var why = e is TaskCanceledException ? $"no answer within {timeout.TotalSeconds:0} s"
                : !File.Exists(socketPath) ? "no socket there"
                : Innermost(e).Message;
            throw new CniFailure(CniErrorCode.TryAgainLater, $"the romana-aws agent is not reachable on {socketPath}: {why}; is the agent running on this node?");
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type) =>
        await TryReadAsync(response, type) ?? throw new CniFailure(CniErrorCode.TryAgainLater, $"the romana-aws agent sent an answer that is not {typeof(T).Name} JSON");

    private static async Task<T?> TryReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(type);
        }
        catch (System.Text.Json.JsonException)
        {
            return default;
        }
    }

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;

    public void Dispose() => _http.Dispose();
}
