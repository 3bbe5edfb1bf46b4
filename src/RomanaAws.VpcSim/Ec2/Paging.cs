using System.Globalization;
using System.Text;

namespace RomanaAws.VpcSim.Ec2;

/// <summary>MaxResults/NextToken paging: the token is an opaque offset into the filtered, ordered result.</summary>
internal static class Paging
{
    public static (IReadOnlyList<T> Page, string? NextToken) Page<T>(IReadOnlyList<T> all, QueryRequest request, int min, int max)
    {
        var maxResults = request.Int("MaxResults");
        var token = request.Get("NextToken");
        if (maxResults is { } m && (m < min || m > max))
        {
            throw new Ec2Exception("InvalidParameterValue", m < min
                ? $"Value ( {m} ) for parameter maxResults is invalid. Expecting a value greater than {min}."
                : $"Value ( {m} ) for parameter maxResults is invalid. Expecting a value less than {max}.");
        }

        var offset = 0;
        if (token is not null)
        {
            // Only tokens this simulator handed out: base64 of a non-negative offset.
            var bytes = new byte[(token.Length * 3 / 4) + 3];
            if (!Convert.TryFromBase64String(token, bytes, out var length)
                || !int.TryParse(Encoding.UTF8.GetString(bytes, 0, length), NumberStyles.None, CultureInfo.InvariantCulture, out offset))
            {
                throw new Ec2Exception("InvalidNextToken", $"The token '{InputEcho.Of(token)}' is invalid.");
            }
        }

        var size = maxResults ?? all.Count;
        var page = all.Skip(offset).Take(size).ToList();
        var next = offset + page.Count < all.Count && maxResults is not null
            ? Convert.ToBase64String(Encoding.UTF8.GetBytes((offset + page.Count).ToString(CultureInfo.InvariantCulture)))
            : null;
        return (page, next);
    }
}
