#ifndef ANTT_TOOLS_DEMO_WORDS_H_
#define ANTT_TOOLS_DEMO_WORDS_H_

// Vietnamese words that generated units are named from, shared by the demo
// province (tools/demo/province.cc) and the load generator
// (tests/load/unit_generator.cc), all of Quảng Trị.

#include "absl/strings/string_view.h"

namespace antt::demo::words {

inline constexpr absl::string_view kCompanyForms[] = {
    "Công ty TNHH", "Công ty TNHH MTV", "Công ty Cổ phần",
    "Doanh nghiệp tư nhân"};

inline constexpr absl::string_view kTrades[] = {
    "Xây dựng",      "Thương mại và Dịch vụ",
    "Vận tải",       "Chế biến gỗ",
    "Nông sản",      "Du lịch",
    "Cao su",        "Thủy sản",
    "Điện lực",      "Dược phẩm",
    "May mặc",       "Vật liệu xây dựng",
    "Xăng dầu",      "Cà phê",
    "Tư vấn đầu tư", "Môi trường đô thị",
    "Cơ khí",        "Khai thác đá"};

inline constexpr absl::string_view kBrands[] = {
    "Hoàng Long", "Phú Thịnh",  "Minh Phát",  "Trường Sơn", "Cửa Việt",
    "Hiền Lương", "Thành Đạt",  "An Phú",     "Bến Hải",    "Thạch Hãn",
    "Đông Hà",    "Lao Bảo",    "Khe Sanh",   "Sông Hiếu",  "Tân Phát",
    "Đức Thành",  "Quang Minh", "Hưng Thịnh", "Việt Trung", "Nam Hải",
    "Bình Minh",  "Hải Đăng",   "Long Hưng",  "Thiên Phúc", "Vĩnh Phát"};

inline constexpr absl::string_view kStreets[] = {
    "Lê Duẩn", "Hùng Vương", "Quốc lộ 9", "Trần Hưng Đạo", "Lý Thường Kiệt",
    "Lê Lợi",  "Nguyễn Huệ", "Hàm Nghi",  "Quang Trung",   "Điện Biên Phủ"};

// Province-level agencies: "<name> tỉnh Quảng Trị".
inline constexpr absl::string_view kProvinceAgencies[] = {
    "Văn phòng Ủy ban nhân dân",
    "Sở Tư pháp",
    "Sở Tài chính",
    "Sở Kế hoạch và Đầu tư",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Xây dựng",
    "Sở Nội vụ",
    "Sở Công Thương",
    "Sở Giao thông vận tải",
    "Sở Tài nguyên và Môi trường",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Thông tin và Truyền thông",
    "Sở Khoa học và Công nghệ",
    "Thanh tra",
    "Bệnh viện Đa khoa",
    "Đài Phát thanh - Truyền hình",
    "Ban Dân tộc"};

// District-level agencies: "<name> <district name>".
inline constexpr absl::string_view kDistrictAgencies[] = {
    "Ủy ban nhân dân",
    "Phòng Tài chính - Kế hoạch",
    "Phòng Giáo dục và Đào tạo",
    "Trung tâm Y tế",
    "Chi cục Thuế",
    "Kho bạc Nhà nước",
    "Bảo hiểm xã hội",
    "Phòng Tài nguyên và Môi trường",
    "Ban Quản lý dự án đầu tư xây dựng",
    "Trung tâm Văn hóa - Thể thao"};

}  // namespace antt::demo::words

#endif  // ANTT_TOOLS_DEMO_WORDS_H_
