using System.Net;
using System.Xml.Linq;

namespace RomanaAws.VpcSim.Tests;

/// <summary>Hand-built Query requests over real HTTP (what an SDK would never send), with any SigV4-looking header.</summary>
internal static class RawQuery
{
    /// <param name="expectContinue">Send <c>Expect: 100-continue</c> (as curl does for large bodies), so a rejected body is never sent.</param>
    public static async Task<(HttpStatusCode Status, string? Code, string? Message, string Body)> PostAsync(Uri endpoint, HttpContent content, string query = "", bool expectContinue = false)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, query)) { Content = content };
        request.Headers.ExpectContinue = expectContinue;
        request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDSIMULATOR/20261123/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00");
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        XElement? error = null;
        if (body.Length > 0)
        {
            error = XDocument.Parse(body).Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
        }

        return (response.StatusCode, Child(error, "Code"), Child(error, "Message"), body);
    }

    public static Task<(HttpStatusCode Status, string? Code, string? Message, string Body)> PostAsync(Uri endpoint, string form, string query = "", bool expectContinue = false) =>
        PostAsync(endpoint, new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"), query, expectContinue);

    private static string? Child(XElement? error, string name) => error?.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
}
