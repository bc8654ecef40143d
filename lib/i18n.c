/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Message catalogue, language negotiation and date / number formatting in
 * the three portal languages (see i18n.h).  The catalogue is a table
 * indexed by message id with designated initialisers, so a message added
 * to the enum without its texts is caught by tests/test_i18n.c (every
 * entry must have all three languages).
 */
#include "i18n.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const lang_codes[VB_LANG_COUNT] = { "vi", "en", "zh" };
static const char *const lang_names[VB_LANG_COUNT] = { "Tiếng Việt", "English", "中文" };

static const char *const catalogue[VB_MSG_COUNT][VB_LANG_COUNT] = {
	[VB_MSG_SITE_NAME] = { "Cơ sở dữ liệu văn bản tỉnh Quảng Ninh",
			       "Quảng Ninh Province Legal Documents Database",
			       "广宁省法律文件数据库" },
	[VB_MSG_SKIP] = { "Bỏ qua đến nội dung chính", "Skip to main content", "跳到主要内容" },
	[VB_MSG_NAV_MAIN] = { "Điều hướng chính", "Main navigation", "主导航" },
	[VB_MSG_NAV_SEARCH] = { "Tra cứu văn bản", "Search documents", "检索文件" },
	[VB_MSG_NAV_API] = { "API", "API", "API" },
	[VB_MSG_LANG_SWITCH] = { "Ngôn ngữ", "Language", "语言" },
	[VB_MSG_FOOTER] = { "Dữ liệu văn bản do cơ quan nhà nước tỉnh Quảng Ninh công bố. Văn bản "
			    "có giá trị pháp lý là bản gốc do cơ quan ban hành phát hành.",
			    "Documents published by the state agencies of Quảng Ninh province. "
			    "The legally valid text is the original issued by the issuing body.",
			    "文件由广宁省国家机关公布。具有法律效力的文本为发布机关发布的原件。" },
	[VB_MSG_SOURCE_LINE] = { "Theo Cổng thông tin điện tử tỉnh Quảng Ninh",
				 "Source: Quảng Ninh Province Web Portal",
				 "来源：广宁省电子信息门户网站" },
	[VB_MSG_SEARCH_TITLE] = { "Tra cứu văn bản", "Search documents", "检索文件" },
	[VB_MSG_SEARCH_LABEL] = { "Từ khóa, số ký hiệu hoặc trích yếu",
				  "Keywords, document number or summary", "关键词、文号或摘要" },
	[VB_MSG_SEARCH_BUTTON] = { "Tìm kiếm", "Search", "搜索" },
	[VB_MSG_ISSUED_FROM] = { "Ban hành từ ngày", "Issued from", "发布日期自" },
	[VB_MSG_ISSUED_TO] = { "đến ngày", "to", "至" },
	[VB_MSG_IN_FORCE_ON] = { "Còn hiệu lực vào ngày", "In force on", "于该日有效" },
	[VB_MSG_SORT] = { "Sắp xếp", "Sort", "排序" },
	[VB_MSG_SORT_RELEVANCE] = { "Phù hợp nhất", "Most relevant", "最相关" },
	[VB_MSG_SORT_NEWEST] = { "Mới ban hành trước", "Newest first", "最新发布优先" },
	[VB_MSG_SORT_OLDEST] = { "Cũ nhất trước", "Oldest first", "最早发布优先" },
	[VB_MSG_ACTIVE_FILTERS] = { "Bộ lọc đang áp dụng", "Active filters", "当前筛选条件" },
	[VB_MSG_FILTER_RESULTS] = { "Lọc kết quả", "Filter results", "筛选结果" },
	[VB_MSG_REMOVE_FILTER] = { "bỏ lọc", "remove filter", "取消筛选" },
	[VB_MSG_FACET_FORM] = { "Hình thức văn bản", "Type of document", "文件类型" },
	[VB_MSG_FACET_ISSUER] = { "Cơ quan ban hành", "Issuing body", "发布机关" },
	[VB_MSG_FACET_YEAR] = { "Năm ban hành", "Year of issue", "发布年份" },
	[VB_MSG_FACET_STATUS] = { "Tình trạng hiệu lực", "Validity", "效力状态" },
	[VB_MSG_RESULTS] = { "Kết quả", "Results", "结果" },
	[VB_MSG_FOUND] = { "Tìm thấy %s văn bản", "%s documents found", "找到 %s 份文件" },
	[VB_MSG_SHOWING] = { "hiển thị %s–%s", "showing %s–%s", "显示第 %s–%s 份" },
	[VB_MSG_RELAXED] = { "Không có văn bản chứa tất cả các từ; đang hiển thị văn bản chứa một "
			     "phần các từ.",
			     "No document contains all the words; showing documents that contain "
			     "some of them.",
			     "没有文件包含所有词语；显示包含部分词语的文件。" },
	[VB_MSG_DID_YOU_MEAN] = { "Có phải bạn muốn tìm:", "Did you mean:", "您是不是要找：" },
	[VB_MSG_N_DOCUMENTS] = { "%s văn bản", "%s documents", "%s 份文件" },
	[VB_MSG_PAGING] = { "Phân trang", "Pages", "分页" },
	[VB_MSG_PREV] = { "« Trang trước", "« Previous", "« 上一页" },
	[VB_MSG_NEXT] = { "Trang sau »", "Next »", "下一页 »" },
	[VB_MSG_QUERY_ADJUSTED] = { "Truy vấn đã được điều chỉnh khi tìm kiếm.",
				    "The query was adjusted for searching.", "查询已在检索时调整。" },
	[VB_MSG_QUERY_SYNTAX] = { "đã tìm theo các từ đã nhập.", "searched as plain words.",
				  "已按输入的词语检索。" },
	[VB_MSG_QUERY_TRUNCATED] = { "Truy vấn quá dài: chỉ tìm theo phần đầu.",
				     "The query is too long: only its beginning was searched.",
				     "查询过长：仅检索了开头部分。" },
	[VB_MSG_NO_NUMBER] = { "(không số)", "(no number)", "（无文号）" },
	[VB_MSG_FORM] = { "Hình thức", "Type", "类型" },
	[VB_MSG_ISSUER] = { "Thẩm quyền ban hành", "Issued by", "发布机关" },
	[VB_MSG_NUMBER] = { "Số ký hiệu", "Number", "文号" },
	[VB_MSG_ISSUE_DATE] = { "Ngày ban hành", "Date of issue", "发布日期" },
	[VB_MSG_EFFECTIVE_DATE] = { "Ngày có hiệu lực", "Effective from", "生效日期" },
	[VB_MSG_EXPIRY_DATE] = { "Ngày hết hiệu lực", "Expires on", "失效日期" },
	[VB_MSG_ABSTRACT] = { "Trích yếu", "Summary", "摘要" },
	[VB_MSG_SIGNER] = { "Người ký", "Signed by", "签署人" },
	[VB_MSG_FIELDS] = { "Lĩnh vực", "Fields", "领域" },
	[VB_MSG_STATUS] = { "Tình trạng hiệu lực", "Validity", "效力状态" },
	[VB_MSG_PROPERTIES] = { "Thuộc tính văn bản", "Document details", "文件信息" },
	[VB_MSG_FILES] = { "Tệp đính kèm", "Files", "附件" },
	[VB_MSG_NO_FILES] = { "Không có tệp đính kèm.", "No files.", "无附件。" },
	[VB_MSG_DOWNLOAD] = { "Tải về %s", "Download %s", "下载 %s" },
	[VB_MSG_FULLTEXT] = { "Toàn văn", "Full text", "全文" },
	[VB_MSG_NO_FULLTEXT] = { "Chưa có toàn văn.", "No full text yet.", "暂无全文。" },
	[VB_MSG_BACK] = { "« Về trang tra cứu", "« Back to search", "« 返回检索" },
	[VB_MSG_TRANSLATION] = { "Bản dịch của văn bản này", "Translation of this document",
				 "本文件的译本" },
	[VB_MSG_ERROR] = { "Lỗi %s", "Error %s", "错误 %s" },
	[VB_MSG_NOT_FOUND_PAGE] = { "Không tìm thấy trang bạn yêu cầu.",
				    "The page you asked for was not found.", "未找到您请求的页面。" },
	[VB_MSG_NOT_FOUND_DOC] = { "Không tìm thấy văn bản này.", "This document was not found.",
				   "未找到此文件。" },
	[VB_MSG_DOC_UNAVAILABLE] = { "Không đọc được văn bản. Vui lòng thử lại sau.",
				     "The document could not be read. Please try again later.",
				     "无法读取该文件，请稍后再试。" },
	[VB_MSG_INDEX_NOT_READY] = { "Chỉ mục tìm kiếm chưa sẵn sàng. Vui lòng thử lại sau.",
				     "The search index is not ready yet. Please try again later.",
				     "检索索引尚未就绪，请稍后再试。" },
	[VB_MSG_SEARCH_FAILED] = { "Không thực hiện được tìm kiếm. Vui lòng thử lại sau.",
				   "The search could not be run. Please try again later.",
				   "无法执行检索，请稍后再试。" },
	[VB_MSG_BAD_PARAMETER] = { "Tham số “%s” không hợp lệ (%s).",
				   "The parameter “%s” is not valid (%s).", "参数“%s”无效（%s）。" },
	[VB_MSG_URL_TOO_LONG] = { "Địa chỉ yêu cầu quá dài.", "The address is too long.",
				  "请求地址过长。" },
	[VB_MSG_FEED] = { "Văn bản mới (Atom)", "New documents (Atom)", "最新文件（Atom）" },
	[VB_MSG_OPENSEARCH] = { "Tra cứu văn bản Quảng Ninh", "Quảng Ninh documents",
				"广宁省文件检索" },
	/* ---- withdrawn documents (owned by workflow) ---- */
	[VB_MSG_WITHDRAWN_TITLE] = { "Văn bản đã bị thu hồi", "This document has been withdrawn",
				     "该文件已被撤回" },
	[VB_MSG_WITHDRAWN] = { "Văn bản này đã bị thu hồi ngày %s. Lý do: %s",
			       "This document was withdrawn on %s. Reason: %s",
			       "该文件已于 %s 撤回。原因：%s" },
	/* ---- staff admin UI (owned by admin) ---- */
	[VB_MSG_ADMIN_TITLE] = { "Quản trị văn bản",
		"Document administration",
		"文件管理" },
	[VB_MSG_ADMIN_NAV] = { "Điều hướng quản trị",
		"Administration",
		"管理导航" },
	[VB_MSG_ADMIN_QUEUE] = { "Hàng chờ duyệt",
		"Review queue",
		"待审核队列" },
	[VB_MSG_ADMIN_AUDIT] = { "Nhật ký thay đổi",
		"Audit log",
		"审计日志" },
	[VB_MSG_ADMIN_USERS] = { "Người dùng",
		"Users",
		"用户" },
	[VB_MSG_ADMIN_TOKENS] = { "Mã truy cập API",
		"API tokens",
		"API 令牌" },
	[VB_MSG_ADMIN_REPORT] = { "Báo cáo",
		"Report",
		"报告" },
	[VB_MSG_ADMIN_LOGIN] = { "Đăng nhập",
		"Log in",
		"登录" },
	[VB_MSG_ADMIN_LOGOUT] = { "Đăng xuất",
		"Log out",
		"退出登录" },
	[VB_MSG_ADMIN_LOGIN_NAME] = { "Tên đăng nhập",
		"Login name",
		"登录名" },
	[VB_MSG_ADMIN_PASSWORD] = { "Mật khẩu",
		"Password",
		"密码" },
	[VB_MSG_ADMIN_LOGIN_FAILED] = { "Tên đăng nhập hoặc mật khẩu không đúng.",
		"The login name or password is wrong.",
		"登录名或密码错误。" },
	[VB_MSG_ADMIN_LOGIN_LIMITED] = { "Quá nhiều lần đăng nhập không thành công. Vui lòng thử lại sau %s giây.",
		"Too many failed logins. Please try again in %s seconds.",
		"登录失败次数过多。请在 %s 秒后重试。" },
	[VB_MSG_ADMIN_LOGGED_OUT] = { "Bạn đã đăng xuất.",
		"You have logged out.",
		"您已退出登录。" },
	[VB_MSG_ADMIN_SIGNED_IN_AS] = { "Đang đăng nhập: %s",
		"Signed in as %s",
		"当前用户：%s" },
	[VB_MSG_ADMIN_ERRORS] = { "Có lỗi cần sửa:",
		"There is a problem:",
		"存在以下问题：" },
	[VB_MSG_ADMIN_REQUIRED] = { "%s: không được để trống",
		"%s: this field is required",
		"%s：此项为必填" },
	[VB_MSG_ADMIN_CSRF] = { "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang rồi thử lại.",
		"The form has expired or is not valid. Reload the page and try again.",
		"表单已过期或无效。请刷新页面后重试。" },
	[VB_MSG_ADMIN_FORBIDDEN] = { "Bạn không có quyền thực hiện thao tác này.",
		"You are not allowed to do this.",
		"您无权执行此操作。" },
	[VB_MSG_ADMIN_COUNTS] = { "Số lượng theo trạng thái",
		"Counts by status",
		"按状态统计" },
	[VB_MSG_ADMIN_DRAFT] = { "Bản nháp",
		"Draft",
		"草稿" },
	[VB_MSG_ADMIN_SUBMITTED] = { "Chờ duyệt",
		"Submitted",
		"待审核" },
	[VB_MSG_ADMIN_PUBLISHED] = { "Đã công bố",
		"Published",
		"已发布" },
	[VB_MSG_ADMIN_REJECTED] = { "Bị từ chối",
		"Rejected",
		"已拒绝" },
	[VB_MSG_ADMIN_WITHDRAWN] = { "Đã thu hồi",
		"Withdrawn",
		"已撤回" },
	[VB_MSG_ADMIN_QUEUE_EMPTY] = { "Không có văn bản nào chờ xử lý.",
		"Nothing is waiting for review.",
		"没有待处理的文件。" },
	[VB_MSG_ADMIN_UPLOAD] = { "Bản tải lên số %s",
		"Upload %s",
		"上传 %s" },
	[VB_MSG_ADMIN_DOCUMENT] = { "Văn bản số %s",
		"Document %s",
		"文件 %s" },
	[VB_MSG_ADMIN_CREATED] = { "Ngày tạo",
		"Created",
		"创建时间" },
	[VB_MSG_ADMIN_PORTAL] = { "Cổng thông tin",
		"Portal",
		"门户" },
	[VB_MSG_ADMIN_NO_PORTAL] = { "(không thuộc cổng nào)",
		"(no portal)",
		"（无门户）" },
	[VB_MSG_ADMIN_STATE] = { "Trạng thái",
		"State",
		"状态" },
	[VB_MSG_ADMIN_DUPLICATES] = { "Có thể trùng với",
		"Possible duplicates",
		"可能重复" },
	[VB_MSG_ADMIN_WARNINGS] = { "Cảnh báo",
		"Warnings",
		"警告" },
	[VB_MSG_ADMIN_METADATA] = { "Siêu dữ liệu trích xuất",
		"Extracted metadata",
		"提取的元数据" },
	[VB_MSG_ADMIN_FIELD] = { "Trường",
		"Field",
		"字段" },
	[VB_MSG_ADMIN_VALUE] = { "Giá trị",
		"Value",
		"值" },
	[VB_MSG_ADMIN_CONFIDENCE] = { "Độ tin cậy",
		"Confidence",
		"置信度" },
	[VB_MSG_ADMIN_ORIGINAL] = { "Tệp gốc",
		"Original file",
		"原始文件" },
	[VB_MSG_ADMIN_OPEN_FILE] = { "Mở tệp %s trong cửa sổ mới",
		"Open %s in a new window",
		"在新窗口中打开 %s" },
	[VB_MSG_ADMIN_SAVE] = { "Lưu thay đổi",
		"Save changes",
		"保存修改" },
	[VB_MSG_ADMIN_SUBMIT] = { "Lưu và gửi duyệt",
		"Save and submit for review",
		"保存并提交审核" },
	[VB_MSG_ADMIN_PUBLISH] = { "Công bố",
		"Publish",
		"发布" },
	[VB_MSG_ADMIN_RETURN] = { "Trả lại để sửa",
		"Return for changes",
		"退回修改" },
	[VB_MSG_ADMIN_REJECT] = { "Từ chối",
		"Reject",
		"拒绝" },
	[VB_MSG_ADMIN_REASON] = { "Lý do",
		"Reason",
		"理由" },
	[VB_MSG_ADMIN_WITHDRAW] = { "Thu hồi văn bản",
		"Withdraw the document",
		"撤回文件" },
	[VB_MSG_ADMIN_CORRECT] = { "Đính chính (tạo phiên bản mới)",
		"Correct (makes a new version)",
		"更正（生成新版本）" },
	[VB_MSG_ADMIN_HISTORY] = { "Lịch sử thay đổi",
		"Change history",
		"变更历史" },
	[VB_MSG_ADMIN_PUBLIC_PAGE] = { "Xem trang công khai",
		"View the public page",
		"查看公开页面" },
	[VB_MSG_ADMIN_DONE] = { "Đã thực hiện: %s",
		"Done: %s",
		"已完成：%s" },
	[VB_MSG_ADMIN_WHEN] = { "Thời điểm",
		"When",
		"时间" },
	[VB_MSG_ADMIN_WHO] = { "Người thực hiện",
		"Who",
		"操作人" },
	[VB_MSG_ADMIN_ACTION] = { "Thao tác",
		"Action",
		"操作" },
	[VB_MSG_ADMIN_OBJECT] = { "Đối tượng",
		"Object",
		"对象" },
	[VB_MSG_ADMIN_CHANGES] = { "Thay đổi",
		"Changes",
		"变更内容" },
	[VB_MSG_ADMIN_EXPORT_CSV] = { "Tải về dạng CSV",
		"Download as CSV",
		"下载 CSV" },
	[VB_MSG_ADMIN_NO_ROWS] = { "Không có mục nào.",
		"No entries.",
		"没有记录。" },
	[VB_MSG_ADMIN_FILTER] = { "Lọc",
		"Filter",
		"筛选" },
	[VB_MSG_ADMIN_DOCUMENT_ID] = { "Mã văn bản",
		"Document id",
		"文件编号" },
	[VB_MSG_ADMIN_USER_ID] = { "Mã người dùng",
		"User id",
		"用户编号" },
	[VB_MSG_ADMIN_ROLE] = { "Vai trò",
		"Role",
		"角色" },
	[VB_MSG_ADMIN_ROLE_UPLOADER] = { "Người tải lên",
		"Uploader",
		"上传者" },
	[VB_MSG_ADMIN_ROLE_EDITOR] = { "Biên tập viên",
		"Editor",
		"编辑" },
	[VB_MSG_ADMIN_ROLE_PORTAL_ADMIN] = { "Quản trị cổng",
		"Portal administrator",
		"门户管理员" },
	[VB_MSG_ADMIN_GRANT] = { "Cấp vai trò",
		"Grant the role",
		"授予角色" },
	[VB_MSG_ADMIN_REVOKE] = { "Thu hồi",
		"Revoke",
		"撤销" },
	[VB_MSG_ADMIN_CREATE_USER] = { "Tạo người dùng",
		"Create a user",
		"创建用户" },
	[VB_MSG_ADMIN_DISPLAY_NAME] = { "Tên hiển thị",
		"Display name",
		"显示名称" },
	[VB_MSG_ADMIN_SYSADMIN] = { "Quản trị hệ thống",
		"System administrator",
		"系统管理员" },
	[VB_MSG_ADMIN_TOKEN_NAME] = { "Tên của mã",
		"Token name",
		"令牌名称" },
	[VB_MSG_ADMIN_SCOPES] = { "Phạm vi",
		"Scopes",
		"权限范围" },
	[VB_MSG_ADMIN_CREATE_TOKEN] = { "Tạo mã mới",
		"Create a token",
		"创建令牌" },
	[VB_MSG_ADMIN_TOKEN_SECRET] = { "Mã mới của bạn (chỉ hiển thị một lần, hãy sao chép ngay):",
		"Your new token (shown only once: copy it now):",
		"您的新令牌（仅显示一次，请立即复制）：" },
	[VB_MSG_ADMIN_REVOKED] = { "Đã thu hồi",
		"Revoked",
		"已撤销" },
	[VB_MSG_ADMIN_YEAR] = { "Năm",
		"Year",
		"年份" },
	[VB_MSG_ADMIN_SHOW_REPORT] = { "Xem báo cáo năm",
		"Show the yearly report",
		"查看年度报告" },
	[VB_MSG_ADMIN_ALL_PORTALS] = { "Tất cả các cổng",
		"All portals",
		"所有门户" },
	[VB_MSG_ADMIN_WITHDRAWN_NOTICE] = { "Văn bản đã bị thu hồi. Lý do: %s",
		"This document was withdrawn. Reason: %s",
		"此文件已撤回。理由：%s" },
	[VB_MSG_ADMIN_LOGIN_REQUIRED] = { "Vui lòng đăng nhập để tiếp tục.",
		"Please log in to continue.",
		"请登录后继续。" },
	[VB_MSG_ADMIN_NONE] = { "(không có)",
		"(none)",
		"（无）" },
	[VB_MSG_ADMIN_DUP_NEW] = { "Không trùng: công bố thành văn bản mới",
		"Not a duplicate: publish as a new document",
		"不重复：作为新文件发布" },
	[VB_MSG_ADMIN_DUP_LINK] = { "Trùng: gắn tệp vào văn bản đã có (phiên bản mới)",
		"A duplicate: attach the files to the existing document (new version)",
		"重复：将文件附加到已有文件（新版本）" },
	[VB_MSG_ADMIN_VERSION] = { "Phiên bản",
		"Version",
		"版本" },
	/* ---- end of admin ---- */
};

/* Drop an incomplete UTF-8 sequence at the end of s[0..*k) (left by a
 * cut), so that a cut string stays valid UTF-8. */
static void utf8_trim(char *s, size_t *k)
{
	size_t j = *k, need;
	unsigned char lead;

	while (j && ((unsigned char)s[j - 1] & 0xC0) == 0x80)
		j--;
	if (!j)
		return;
	lead = (unsigned char)s[j - 1];
	if (lead < 0xC0)
		return;
	need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
	if (*k - (j - 1) < need) {
		*k = j - 1;
		s[*k] = '\0';
	}
}

char *vb_i18n_format(vb_lang lang, vb_msg msg, char *out, size_t cap, const char *a,
		     const char *b)
{
	const char *t = vb_i18n(lang, msg), *args[2] = { a ? a : "", b ? b : "" };
	size_t k = 0, n;
	int next = 0;

	if (!cap)
		return out;
	while (*t && k + 1 < cap) {
		if (t[0] == '%' && t[1] == 's') {
			const char *arg = next < 2 ? args[next++] : "";

			n = strlen(arg);
			if (n > cap - 1 - k)
				n = cap - 1 - k;
			memcpy(out + k, arg, n);
			k += n;
			t += 2;
			continue;
		}
		out[k++] = *t++;
	}
	out[k] = '\0';
	utf8_trim(out, &k);
	return out;
}

static const char *const months_en[12] = {
	"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December"
};

const char *vb_lang_code(vb_lang lang)
{
	return (unsigned)lang < VB_LANG_COUNT ? lang_codes[lang] : lang_codes[VB_LANG_VI];
}

const char *vb_lang_name(vb_lang lang)
{
	return (unsigned)lang < VB_LANG_COUNT ? lang_names[lang] : lang_names[VB_LANG_VI];
}

/* Whether s[0..n) is the primary subtag code (case-insensitive), followed
 * by the end or a '-'. */
static int primary_is(const char *s, size_t n, const char *code)
{
	size_t k = strlen(code), i;

	if (n < k || (n > k && s[k] != '-'))
		return 0;
	for (i = 0; i < k; i++)
		if (tolower((unsigned char)s[i]) != code[i])
			return 0;
	return 1;
}

static int lang_of(const char *s, size_t n, vb_lang *out)
{
	int l;

	for (l = 0; l < VB_LANG_COUNT; l++) {
		if (primary_is(s, n, lang_codes[l])) {
			*out = (vb_lang)l;
			return 0;
		}
	}
	return -1;
}

int vb_lang_parse(const char *tag, vb_lang *out)
{
	if (!tag)
		return -1;
	return lang_of(tag, strlen(tag), out);
}

/* q-value "0", "0.5", "1", "1.000" -> 0..1000, or -1 when malformed. */
static int parse_q(const char *s, size_t n)
{
	int v = 0, digits = 0;
	size_t i;

	if (!n || (s[0] != '0' && s[0] != '1'))
		return -1;
	v = (s[0] - '0') * 1000;
	if (n == 1)
		return v;
	if (s[1] != '.' || n > 5)
		return -1;
	for (i = 2; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		digits++;
		v += (s[i] - '0') * (digits == 1 ? 100 : digits == 2 ? 10 : 1);
	}
	return v > 1000 ? -1 : v;
}

static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

vb_lang vb_lang_negotiate(const char *header, vb_lang fallback)
{
	const char *p, *end;
	int best_q = 0, star_q = 0, entries = 0;
	vb_lang best = fallback;
	size_t len;

	if (!header)
		return fallback;
	len = strnlen(header, VB_I18N_ACCEPT_MAX);
	p = header;
	end = header + len;
	while (p < end && entries < VB_I18N_ACCEPT_ENTRIES) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *item = p, *semi;
		size_t n = (size_t)((comma ? comma : end) - p), tn;
		int q = 1000;
		vb_lang l;

		p = comma ? comma + 1 : end;
		trim(&item, &n);
		if (!n)
			continue;
		entries++;
		semi = memchr(item, ';', n);
		tn = semi ? (size_t)(semi - item) : n;
		if (semi) {
			const char *par = semi + 1;
			size_t pn = n - tn - 1;

			trim(&par, &pn);
			if (pn < 2 || (par[0] != 'q' && par[0] != 'Q') || par[1] != '=')
				continue;
			par += 2;
			pn -= 2;
			trim(&par, &pn);
			if ((q = parse_q(par, pn)) < 0)
				continue;
		}
		{
			const char *tag = item;

			trim(&tag, &tn);
			if (tn == 1 && tag[0] == '*') {
				if (q > star_q)
					star_q = q;
				continue;
			}
			if (lang_of(tag, tn, &l))
				continue;
		}
		if (q > best_q) {
			best_q = q;
			best = l;
		}
	}
	/* "*" alone means any language is fine: the fallback. */
	if (!best_q && star_q)
		return fallback;
	return best;
}

vb_lang vb_lang_choose(const char *param, const char *accept_language, vb_lang portal_default)
{
	vb_lang l;

	if (param && *param && !vb_lang_parse(param, &l))
		return l;
	return vb_lang_negotiate(accept_language, portal_default);
}

const char *vb_i18n(vb_lang lang, vb_msg msg)
{
	const char *s;

	if ((unsigned)msg >= VB_MSG_COUNT)
		return "";
	if ((unsigned)lang >= VB_LANG_COUNT)
		lang = VB_LANG_VI;
	s = catalogue[msg][lang];
	if (!s)
		s = catalogue[msg][VB_LANG_VI];
	return s ? s : "";
}

static int digits_at(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

char *vb_i18n_date(vb_lang lang, const char *iso, char *out, size_t cap)
{
	size_t n;
	int y, m = 0, d = 0;

	if (!cap)
		return out;
	out[0] = '\0';
	if (!iso)
		return out;
	n = strlen(iso);
	if (!((n == 4 && digits_at(iso, 4)) ||
	      (n == 7 && digits_at(iso, 4) && iso[4] == '-' && digits_at(iso + 5, 2)) ||
	      (n == 10 && digits_at(iso, 4) && iso[4] == '-' && digits_at(iso + 5, 2) &&
	       iso[7] == '-' && digits_at(iso + 8, 2)))) {
		snprintf(out, cap, "%s", iso);
		return out;
	}
	y = atoi(iso);
	if (n >= 7)
		m = atoi(iso + 5);
	if (n == 10)
		d = atoi(iso + 8);
	if (m > 12 || (n >= 7 && m < 1) || d > 31 || (n == 10 && d < 1)) {
		snprintf(out, cap, "%s", iso);
		return out;
	}
	switch (lang) {
	case VB_LANG_EN:
		if (d)
			snprintf(out, cap, "%d %s %04d", d, months_en[m - 1], y);
		else if (m)
			snprintf(out, cap, "%s %04d", months_en[m - 1], y);
		else
			snprintf(out, cap, "%04d", y);
		break;
	case VB_LANG_ZH:
		if (d)
			snprintf(out, cap, "%04d年%d月%d日", y, m, d);
		else if (m)
			snprintf(out, cap, "%04d年%d月", y, m);
		else
			snprintf(out, cap, "%04d年", y);
		break;
	default:
		if (d)
			snprintf(out, cap, "%02d/%02d/%04d", d, m, y);
		else if (m)
			snprintf(out, cap, "%02d/%04d", m, y);
		else
			snprintf(out, cap, "%04d", y);
		break;
	}
	n = strlen(out);
	utf8_trim(out, &n);
	return out;
}

char *vb_i18n_number(vb_lang lang, long long n, char *out, size_t cap)
{
	char digits[32], tmp[48];
	char sep = lang == VB_LANG_VI ? '.' : ',';
	unsigned long long u;
	size_t nd, i, k = 0;

	if (!cap)
		return out;
	u = n < 0 ? (unsigned long long)(-(n + 1)) + 1 : (unsigned long long)n;
	snprintf(digits, sizeof(digits), "%llu", u);
	nd = strlen(digits);
	if (n < 0)
		tmp[k++] = '-';
	for (i = 0; i < nd; i++) {
		if (i && (nd - i) % 3 == 0)
			tmp[k++] = sep;
		tmp[k++] = digits[i];
	}
	tmp[k] = '\0';
	snprintf(out, cap, "%s", tmp);
	return out;
}
